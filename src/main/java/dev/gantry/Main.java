package dev.gantry; public class Main { public static void main(String[] a){} }
