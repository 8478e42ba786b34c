package dev.gantry.auth;

import dev.gantry.common.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The key format {@code gt-<public id>-<secret>}: the public id finds the record, only a SHA-256 of
 * the (high-entropy) secret is stored, and comparison is constant-time.
 */
public final class ApiKeySecrets {

  public static final String PREFIX = "gt-";
  static final int ID_LENGTH = 12;
  static final int SECRET_LENGTH = 40;

  public record Parsed(String publicId, String secret) {
  }

  public record Generated(String publicId, String secret, String value) {
  }

  public static Generated generate() {
    String id = Ids.random(ID_LENGTH);
    String secret = Ids.secret(SECRET_LENGTH);
    return new Generated(id, secret, PREFIX + id + "-" + secret);
  }

  /** Splits a presented key; null when it does not have the Gantry key shape. */
  public static Parsed parse(String value) {
    if (value == null || !value.startsWith(PREFIX) || value.length() != PREFIX.length() + ID_LENGTH + 1 + SECRET_LENGTH) {
      return null;
    }
    String id = value.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
    if (value.charAt(PREFIX.length() + ID_LENGTH) != '-') {
      return null;
    }
    return new Parsed(id, value.substring(PREFIX.length() + ID_LENGTH + 1));
  }

  public static String hash(String secret) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static boolean matches(String secret, String storedHash) {
    return MessageDigest.isEqual(hash(secret).getBytes(StandardCharsets.US_ASCII),
        storedHash.getBytes(StandardCharsets.US_ASCII));
  }

  public static String masked(String publicId, String hint) {
    return PREFIX + publicId + "-****" + hint;
  }

  public static String hint(String secret) {
    return secret.substring(secret.length() - 4);
  }

  private ApiKeySecrets() {
  }
}
