package dev.gantry.pool;

import dev.gantry.common.ApiException;
import dev.gantry.pool.digitalocean.DigitalOceanProvider;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.List;

/** Builds the {@link CloudProvider} of a pool from its spec and opened credentials. */
public final class CloudProviders {

  public static final List<String> PROVIDERS = List.of("digitalocean");

  private final WebClient client;

  public CloudProviders(WebClient client) {
    this.client = client;
  }

  /** The credentials a provider needs, checked before they are sealed: a 400 naming what is missing. */
  public static void checkCredentials(String provider, JsonObject credentials) {
    List<String> needed = switch (provider) {
      case "digitalocean" -> List.of("token");
      default -> throw new ApiException(400, "BadRequest", "unknown provider '" + provider + "'; known: " + PROVIDERS, "provider");
    };
    for (String key : needed) {
      String value = credentials == null ? null : credentials.getString(key);
      if (value == null || value.isBlank()) {
        throw new ApiException(400, "BadRequest", "provider " + provider + " needs credentials." + key, "credentials");
      }
    }
  }

  public CloudProvider of(WorkerPool pool, JsonObject credentials) {
    return switch (pool.provider()) {
      case "digitalocean" -> new DigitalOceanProvider(client, pool.endpoint(), credentials.getString("token"), pool.gpus());
      default -> throw new IllegalArgumentException("unknown provider " + pool.provider());
    };
  }
}
