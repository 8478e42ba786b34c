package dev.gantry.scheduler;

/** What one replica of a model needs: RAM (CPU engines) or memory per device, and how that was worked out. */
public record Estimate(long ram, long memoryPerDevice, String breakdown) {
}
