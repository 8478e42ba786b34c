package dev.gantry.common;

import java.security.SecureRandom;

/** Random identifiers and secrets from one {@link SecureRandom}. */
public final class Ids {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "abcdefghijkmnopqrstuvwxyz23456789".toCharArray();
  private static final char[] PASSWORD_ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

  /** A lowercase, unambiguous random string, e.g. for public ids. */
  public static String random(int length) {
    return draw(ALPHABET, length);
  }

  /** A mixed-case random string for secrets and generated passwords. */
  public static String secret(int length) {
    return draw(PASSWORD_ALPHABET, length);
  }

  private static String draw(char[] alphabet, int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = alphabet[RANDOM.nextInt(alphabet.length)];
    }
    return new String(out);
  }

  private Ids() {
  }
}
