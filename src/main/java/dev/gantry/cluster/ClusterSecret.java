package dev.gantry.cluster;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret every node of one cluster shares. Nothing is keyed by the secret itself: each use derives
 * its own key with HMAC-SHA256(secret, purpose), so a value seen on the wire or in a map (the Hazelcast
 * cluster name, an engine's bearer token, an inter-node request signature) never reveals the secret or
 * another purpose's key. {@link #toString()} never prints it.
 */
public final class ClusterSecret {

  /** The shortest secret accepted: 128 bits of hex, or anything at least this long. */
  public static final int MIN_LENGTH = 32;

  private static final SecureRandom RANDOM = new SecureRandom();
  private final byte[] secret;

  private ClusterSecret(byte[] secret) {
    this.secret = secret;
  }

  /** A secret given by an operator; a message a person can act on when it is too short. */
  public static ClusterSecret of(String value) {
    String trimmed = value == null ? "" : value.strip();
    if (trimmed.length() < MIN_LENGTH) {
      throw new IllegalArgumentException("the cluster secret must be at least " + MIN_LENGTH
          + " characters (got " + trimmed.length() + "); generate one with: openssl rand -hex 32");
    }
    return new ClusterSecret(trimmed.getBytes(StandardCharsets.UTF_8));
  }

  /** A new random secret: 32 bytes as 64 hex characters. */
  public static String generate() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * The secret itself, for the one place that must hand it on: the user-data that lets a worker pool's new
   * node join (written there to a file only the node's service reads). Never log or return it.
   */
  public String forNewNode() {
    return new String(secret, StandardCharsets.UTF_8);
  }

  /** HMAC-SHA256(secret, purpose): the key of one use of the secret. */
  public byte[] derive(String purpose) {
    return hmac(secret, purpose.getBytes(StandardCharsets.UTF_8));
  }

  /** HMAC-SHA256(derive(purpose), message) in lowercase hex. */
  public String sign(String purpose, String message) {
    return HexFormat.of().formatHex(hmac(derive(purpose), message.getBytes(StandardCharsets.UTF_8)));
  }

  /** Whether {@code signature} is {@link #sign}(purpose, message), compared in constant time. */
  public boolean verify(String purpose, String message, String signature) {
    if (signature == null) {
      return false;
    }
    return MessageDigest.isEqual(sign(purpose, message).getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * The Hazelcast cluster name: derived, so a member or client that does not know the secret cannot
   * name the cluster (Hazelcast refuses a join or a client whose cluster name differs).
   */
  public String clusterName() {
    return "gantry-" + HexFormat.of().formatHex(derive("hazelcast-cluster-name"), 0, 16);
  }

  /**
   * The bearer token an engine requires: HMAC(secret, instance id). Never stored; the owning node derives
   * it when it starts the engine and when it forwards a request to it.
   */
  public String engineKey(String instanceId) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(
        hmac(derive("engine-api-key"), instanceId.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  @Override
  public String toString() {
    return "ClusterSecret[redacted]";
  }
}
