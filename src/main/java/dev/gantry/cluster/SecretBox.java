package dev.gantry.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a credential that must live in a distributed map (a provider's API key, say) so that someone
 * who reads the map learns nothing from it: AES-256-GCM with a key derived from the cluster secret
 * ({@code secret.derive("secret-box")}) and a random 96-bit nonce per value. A sealed value is text,
 * {@code v1.<base64url(nonce || ciphertext || tag)>}; the version prefix lets a later format or key
 * replace this one. {@code purpose} is bound as associated data, so a value sealed for one purpose
 * (e.g. {@code "provider:openai"}) does not open for another.
 */
public final class SecretBox {

  static final String VERSION = "v1.";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  public SecretBox(ClusterSecret secret) {
    this.key = new SecretKeySpec(secret.derive("secret-box"), "AES");
  }

  public String seal(String purpose, String plaintext) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    byte[] sealed = cipher(Cipher.ENCRYPT_MODE, nonce, purpose, plaintext.getBytes(StandardCharsets.UTF_8));
    byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
    return VERSION + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
  }

  /** The plaintext; throws {@link IllegalArgumentException} for a value that was changed, sealed with another secret or purpose, or is not a sealed value. */
  public String open(String purpose, String sealed) {
    if (sealed == null || !sealed.startsWith(VERSION)) {
      throw new IllegalArgumentException("not a sealed value of a known version (expected '" + VERSION + "...')");
    }
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(sealed.substring(VERSION.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a sealed value must be base64url after its version");
    }
    if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new IllegalArgumentException("sealed value too short");
    }
    byte[] nonce = Arrays.copyOfRange(raw, 0, NONCE_BYTES);
    byte[] body = Arrays.copyOfRange(raw, NONCE_BYTES, raw.length);
    return new String(cipher(Cipher.DECRYPT_MODE, nonce, purpose, body), StandardCharsets.UTF_8);
  }

  private byte[] cipher(int mode, byte[] nonce, String purpose, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(input);
    } catch (AEADBadTagException e) {
      throw new IllegalArgumentException("sealed value refused: it was changed, or sealed with another cluster secret or purpose");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
    }
  }
}
