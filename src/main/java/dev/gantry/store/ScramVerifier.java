package dev.gantry.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A PostgreSQL SCRAM-SHA-256 verifier ({@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>},
 * RFC 5802/7677), computed here so the password itself never travels in an {@code ALTER ROLE}.
 * The embedded database uses few iterations: its password is 256 random bits, which no iteration count
 * makes easier or harder to guess, while every connection pays the iterations on the client's event
 * loop (4,096 took 0.2–0.5 s per connection on a loaded 2-core machine and timed out a node's pool).
 */
final class ScramVerifier {

  static final int ITERATIONS = 16;

  private ScramVerifier() {
  }

  /** A verifier of an ASCII password (SASLprep leaves those unchanged) with a fresh random salt. */
  static String of(String password) {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    try {
      byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
          .generateSecret(new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, 256)).getEncoded();
      byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(hmac(salted, "Client Key"));
      byte[] serverKey = hmac(salted, "Server Key");
      Base64.Encoder base64 = Base64.getEncoder();
      return "SCRAM-SHA-256$" + ITERATIONS + ":" + base64.encodeToString(salt) + "$" + base64.encodeToString(storedKey)
          + ":" + base64.encodeToString(serverKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot compute a SCRAM verifier: " + e.getMessage(), e);
    }
  }

  /** The iteration count of a stored verifier ({@code pg_authid.rolpassword}); 0 for none or another kind. */
  static int iterations(String stored) {
    if (stored == null || !stored.matches("SCRAM-SHA-256\\$\\d{1,9}:.*")) {
      return 0;
    }
    return Integer.parseInt(stored.substring("SCRAM-SHA-256$".length(), stored.indexOf(':')));
  }

  private static byte[] hmac(byte[] key, String message) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(message.getBytes(StandardCharsets.US_ASCII));
  }
}
