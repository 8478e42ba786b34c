package dev.gantry.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Text sealed with AES-256-GCM under a key derived from the cluster secret: unreadable and unforgeable for
 * whoever reads a cluster map without the secret. Sealed form: base64url(12-byte nonce ‖ ciphertext+tag).
 */
final class SealedText {

  private static final SecureRandom RANDOM = new SecureRandom();
  private final SecretKeySpec key;

  /** @param key 32 bytes, e.g. {@code ClusterSecret.derive(purpose)} */
  SealedText(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  String seal(String text) {
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      byte[] sealed = cipher.doFinal(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(
          ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is missing from this JVM", e);
    }
  }

  /** The text; null when {@code sealed} was not sealed with this key (another cluster secret, tampering). */
  String open(String sealed) {
    try {
      byte[] bytes = Base64.getUrlDecoder().decode(sealed);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, bytes, 0, 12));
      return new String(cipher.doFinal(bytes, 12, bytes.length - 12), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return null;
    }
  }
}
