package dev.gantry.route;

import dev.gantry.cluster.SecretBox;
import dev.gantry.common.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * Provider records between the API and storage. What the API receives (schema-checked first) is checked
 * for what a schema cannot say and stored with its {@code credentials} sealed ({@link SecretBox}, purpose
 * {@code provider:<name>}) and fingerprinted; what the API answers has neither the credentials nor the
 * sealed values, only their count and fingerprints (8 hex digits of each credential's SHA-256).
 */
public final class ProviderSpecs {

  static final String SEALED = "credentials_sealed";
  static final String FINGERPRINTS = "credential_fingerprints";
  private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding",
      "connection", "content-type", "authorization", "api-key", "x-api-key");

  private ProviderSpecs() {
  }

  /**
   * The record to store for {@code body} (a create, or a stored record merged with a change):
   * credentials given in {@code credentials} replace the sealed ones; without them the sealed ones stay.
   */
  public static JsonObject normalize(JsonObject body, SecretBox box) {
    JsonObject spec = body.copy();
    spec.remove("id");
    spec.remove("created_at");
    spec.remove("updated_at");
    spec.remove("credential_count");
    String name = spec.getString("name");
    checkBaseUrl(spec.getString("base_url"));
    ProviderKind kind = ProviderKind.of(spec.getString("kind"));
    if (kind == ProviderKind.AZURE && spec.getString("api_version") == null) {
      throw new ApiException(400, "BadRequest", "field 'api_version' is required for kind azure (e.g. 2024-10-21)",
          "api_version");
    }
    JsonObject headers = spec.getJsonObject("headers", new JsonObject());
    for (String header : headers.fieldNames()) {
      if (RESERVED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
        throw new ApiException(400, "BadRequest", "field 'headers." + header + "' is set by Gantry itself; "
            + "credentials go in 'credentials', the rest is not yours to set", "headers");
      }
    }
    JsonArray plain = (JsonArray) spec.remove("credentials");
    if (plain != null) {
      JsonArray sealed = new JsonArray();
      JsonArray fingerprints = new JsonArray();
      for (Object credential : plain) {
        sealed.add(box.seal(Provider.sealPurpose(name), (String) credential));
        fingerprints.add(fingerprint((String) credential));
      }
      spec.put(SEALED, sealed).put(FINGERPRINTS, fingerprints);
    }
    if (!spec.containsKey(SEALED)) {
      spec.put(SEALED, new JsonArray()).put(FINGERPRINTS, new JsonArray());
    }
    return spec;
  }

  /** What the API shows: no credential, sealed or not; their count and fingerprints. */
  public static JsonObject publicView(JsonObject stored) {
    JsonObject view = stored.copy();
    JsonArray sealed = (JsonArray) view.remove(SEALED);
    view.put("credential_count", sealed == null ? 0 : sealed.size());
    if (!view.containsKey(FINGERPRINTS)) {
      view.put(FINGERPRINTS, new JsonArray());
    }
    return view;
  }

  static String fingerprint(String credential) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(credential.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void checkBaseUrl(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme)) || uri.getQuery() != null) {
        throw new URISyntaxException(url, "not an http(s) URL with a host");
      }
      if (uri.getRawUserInfo() != null) {
        throw new ApiException(400, "BadRequest", "field 'base_url' must not carry credentials (user:password@): it is "
            + "stored and shown in clear; put the key in 'credentials', which are sealed", "base_url");
      }
    } catch (URISyntaxException | NullPointerException e) {
      throw new ApiException(400, "BadRequest", "field 'base_url' must be an http:// or https:// URL with a host "
          + "and no query, such as https://api.openai.com/v1", "base_url");
    }
  }
}
