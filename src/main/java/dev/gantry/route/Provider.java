package dev.gantry.route;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An external provider as the cluster map holds it, decoded: its credentials stay sealed here
 * ({@code cluster/SecretBox}); only the gateway's {@link CredentialRing} holds them opened, in memory.
 */
public record Provider(String name, ProviderKind kind, String baseUrl, String apiVersion, List<String> sealedCredentials,
    long timeoutMs, Map<String, String> headers, List<String> models, int failureThreshold, long coolDownMs) {

  public static final long DEFAULT_TIMEOUT_MS = 60_000;
  public static final int DEFAULT_FAILURE_THRESHOLD = 3;
  public static final long DEFAULT_COOL_DOWN_MS = 30_000;

  /** What a credential is sealed for ({@code SecretBox} purpose): a value sealed for one provider opens for no other. */
  public static String sealPurpose(String providerName) {
    return "provider:" + providerName;
  }

  public boolean offers(String model) {
    return models.contains(model);
  }

  public static Provider from(JsonObject json) {
    Map<String, String> headers = new LinkedHashMap<>();
    JsonObject rawHeaders = json.getJsonObject("headers");
    if (rawHeaders != null) {
      rawHeaders.forEach(entry -> headers.put(entry.getKey(), String.valueOf(entry.getValue())));
    }
    return new Provider(json.getString("name"), ProviderKind.of(json.getString("kind")),
        stripSlash(json.getString("base_url")), json.getString("api_version"),
        strings(json.getJsonArray(ProviderSpecs.SEALED)), json.getLong("timeout_ms", DEFAULT_TIMEOUT_MS),
        Map.copyOf(headers), strings(json.getJsonArray("models")),
        json.getInteger("failure_threshold", DEFAULT_FAILURE_THRESHOLD),
        json.getLong("cool_down_ms", DEFAULT_COOL_DOWN_MS));
  }

  private static String stripSlash(String url) {
    return url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(value -> out.add(String.valueOf(value)));
    }
    return List.copyOf(out);
  }
}
