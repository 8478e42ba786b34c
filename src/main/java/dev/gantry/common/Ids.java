package dev.gantry.common;

import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;

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

  /**
   * A request id: 20 characters of {@link #random}'s alphabet from the thread's fast generator. Request ids
   * are correlation handles, not secrets, so they need not cost a {@link SecureRandom} draw per character
   * on every gateway request.
   */
  public static String requestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] out = new char[20];
    for (int i = 0; i < out.length; i++) {
      out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return new String(out);
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
