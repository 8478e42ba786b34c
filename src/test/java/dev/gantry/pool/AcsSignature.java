package dev.gantry.pool;

import io.vertx.core.http.HttpServerRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Alibaba Cloud's V3 request signature ({@code ACS3-HMAC-SHA256}), checked the way the service does it:
 * {@code CanonicalRequest = POST, /, the sorted RFC 3986 query, the signed headers (each {@code name:value\n}),
 * their names and hex(sha256(body))} joined by newlines, {@code StringToSign = "ACS3-HMAC-SHA256\n" + hex(sha256(CanonicalRequest))},
 * {@code Signature = hex(HmacSHA256(secret, StringToSign))}; plus the key, the API version, the clock skew
 * and nonce reuse.
 */
final class AcsSignature {

  static final Duration CLOCK_SKEW = Duration.ofMinutes(15);

  private AcsSignature() {
  }

  /** {@code null} when the request is properly signed, else {status, code, message} of the refusal. */
  static String[] check(HttpServerRequest request, Map<String, String> query, byte[] body, String accessKeyId,
      String secret, Set<String> nonces) {
    String authorization = request.getHeader("Authorization");
    if (authorization == null || !authorization.startsWith("ACS3-HMAC-SHA256 ")) {
      return new String[] {"400", "MissingAuthorization", "The Authorization header (ACS3-HMAC-SHA256) is missing."};
    }
    Map<String, String> parts = new HashMap<>();
    for (String part : authorization.substring("ACS3-HMAC-SHA256 ".length()).split(",")) {
      int eq = part.indexOf('=');
      parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
    }
    if (!accessKeyId.equals(parts.get("Credential"))) {
      return new String[] {"404", "InvalidAccessKeyId.NotFound", "Specified access key is not found."};
    }
    if (!"2014-05-26".equals(request.getHeader("x-acs-version"))) {
      return new String[] {"400", "InvalidVersion", "Specified parameter Version is not valid."};
    }
    String date = request.getHeader("x-acs-date");
    if (date == null || Duration.between(Instant.parse(date), Instant.now()).abs().compareTo(CLOCK_SKEW) > 0) {
      return new String[] {"400", "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."};
    }
    String contentHash = hex(sha256(body));
    if (!contentHash.equals(request.getHeader("x-acs-content-sha256"))) {
      return new String[] {"400", "SignatureDoesNotMatch", "The x-acs-content-sha256 header is not the body's hash."};
    }
    List<String> signed = List.of(parts.getOrDefault("SignedHeaders", "").split(";"));
    if (!signed.containsAll(List.of("host", "x-acs-action", "x-acs-date", "x-acs-signature-nonce"))) {
      return new String[] {"400", "IncompleteSignature", "The request signature does not conform to Aliyun standards."};
    }
    StringBuilder canonical = new StringBuilder("POST\n/\n");
    List<String> pairs = new ArrayList<>();
    query.forEach((k, v) -> pairs.add(encode(k) + "=" + encode(v)));
    canonical.append(String.join("&", pairs)).append('\n');
    for (String header : signed) {
      canonical.append(header).append(':').append(request.getHeader(header).trim()).append('\n');
    }
    canonical.append('\n').append(String.join(";", signed)).append('\n').append(contentHash);
    String toSign = "ACS3-HMAC-SHA256\n" + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    if (!hex(hmac(secret, toSign)).equals(parts.get("Signature"))) {
      return new String[] {"400", "SignatureDoesNotMatch", "Specified signature is not matched with our calculation."};
    }
    if (!nonces.add(request.getHeader("x-acs-signature-nonce"))) {
      return new String[] {"400", "SignatureNonceUsed", "Specified signature nonce was used already."};
    }
    return null;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(String key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
