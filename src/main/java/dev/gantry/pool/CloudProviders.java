package dev.gantry.pool;

import dev.gantry.common.ApiException;
import dev.gantry.pool.aws.Ec2Provider;
import dev.gantry.pool.digitalocean.DigitalOceanProvider;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the {@link CloudProvider} of a pool from its spec and opened credentials. An SDK client is kept per
 * pool while its settings stay the same (it holds connections). AWS support lives in
 * {@code cloud/gantry-aws.jar} beside the node's jar (on its manifest {@code Class-Path}); without it an AWS
 * pool is refused, saying so.
 */
public final class CloudProviders {

  public static final List<String> PROVIDERS = List.of("digitalocean", "aws");

  private final Vertx vertx;
  private final WebClient client;
  private final Map<String, CloudProvider> sdkClients = new ConcurrentHashMap<>();

  public CloudProviders(Vertx vertx) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
  }

  /** The credentials a provider needs, checked before they are sealed: a 400 naming what is missing. */
  public static void checkCredentials(String provider, JsonObject credentials) {
    List<String> needed = switch (provider) {
      case "digitalocean" -> List.of("token");
      case "aws" -> List.of("access_key_id", "secret_access_key");
      default -> throw new ApiException(400, "BadRequest", "unknown provider '" + provider + "'; known: " + PROVIDERS, "provider");
    };
    for (String key : needed) {
      String value = credentials == null ? null : credentials.getString(key);
      if (value == null || value.isBlank()) {
        throw new ApiException(400, "BadRequest", "provider " + provider + " needs credentials." + key, "credentials");
      }
    }
  }

  /** A client for one check (the API's test of new credentials): not kept; close it when done. */
  public CloudProvider once(WorkerPool pool, JsonObject credentials) {
    return "aws".equals(pool.provider()) ? aws(pool, credentials) : of(pool, credentials);
  }

  /** The pool's client, kept while its settings and credentials stay the same. */
  public CloudProvider of(WorkerPool pool, JsonObject credentials) {
    return switch (pool.provider()) {
      case "digitalocean" -> new DigitalOceanProvider(client, pool.endpoint(), credentials.getString("token"), pool.gpus());
      case "aws" -> sdkClients.computeIfAbsent(pool.name() + "|" + pool.endpoint() + "|" + pool.region() + "|"
          + Integer.toHexString(credentials.encode().hashCode()), k -> aws(pool, credentials));
      default -> throw new IllegalArgumentException("unknown provider " + pool.provider());
    };
  }

  private CloudProvider aws(WorkerPool pool, JsonObject credentials) {
    try {
      return new Ec2Provider(vertx, pool.endpoint(), pool.region(), credentials.getString("access_key_id"),
          credentials.getString("secret_access_key"));
    } catch (NoClassDefFoundError e) {
      throw new ApiException(400, "BadRequest", "AWS support is not installed on this node: put cloud/gantry-aws.jar "
          + "(built beside gantry.jar) next to the node's jar", "provider");
    }
  }
}
