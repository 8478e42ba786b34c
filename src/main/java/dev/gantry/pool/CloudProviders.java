package dev.gantry.pool;

import dev.gantry.common.ApiException;
import dev.gantry.pool.aliyun.EcsProvider;
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
 * pool while its settings stay the same (it holds connections). AWS and Alibaba Cloud support live in
 * {@code cloud/gantry-aws.jar} and {@code cloud/gantry-aliyun.jar} beside the node's jar (on its manifest
 * {@code Class-Path}); without them such a pool is refused, saying so.
 */
public final class CloudProviders {

  public static final List<String> PROVIDERS = List.of("digitalocean", "aws", "aliyun");

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
      case "aliyun" -> List.of("access_key_id", "access_key_secret");
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
    return switch (pool.provider()) {
      case "aws" -> aws(pool, credentials);
      case "aliyun" -> aliyun(pool, credentials);
      default -> of(pool, credentials);
    };
  }

  /** The pool's client, kept while its settings and credentials stay the same. */
  public CloudProvider of(WorkerPool pool, JsonObject credentials) {
    return switch (pool.provider()) {
      case "digitalocean" -> new DigitalOceanProvider(client, pool.endpoint(), credentials.getString("token"), pool.gpus());
      case "aws" -> sdkClients.computeIfAbsent(pool.name() + "|" + pool.endpoint() + "|" + pool.region() + "|"
          + Integer.toHexString(credentials.encode().hashCode()), k -> aws(pool, credentials));
      case "aliyun" -> sdkClients.computeIfAbsent(pool.name() + "|" + pool.endpoint() + "|" + pool.region() + "|"
          + Integer.toHexString(credentials.encode().hashCode()), k -> aliyun(pool, credentials));
      default -> throw new IllegalArgumentException("unknown provider " + pool.provider());
    };
  }

  private CloudProvider aws(WorkerPool pool, JsonObject credentials) {
    checkSdkEndpoint(pool.endpoint());
    try {
      return new Ec2Provider(vertx, pool.endpoint(), pool.region(), credentials.getString("access_key_id"),
          credentials.getString("secret_access_key"));
    } catch (NoClassDefFoundError e) {
      throw new ApiException(400, "BadRequest", "AWS support is not installed on this node: put cloud/gantry-aws.jar "
          + "(built beside gantry.jar) next to the node's jar", "provider");
    }
  }

  private CloudProvider aliyun(WorkerPool pool, JsonObject credentials) {
    checkSdkEndpoint(pool.endpoint());
    try {
      return new EcsProvider(vertx, pool.endpoint(), pool.region(), credentials.getString("access_key_id"),
          credentials.getString("access_key_secret"));
    } catch (NoClassDefFoundError e) {
      throw new ApiException(400, "BadRequest", "Alibaba Cloud support is not installed on this node: put "
          + "cloud/gantry-aliyun.jar (built beside gantry.jar) next to the node's jar", "provider");
    } catch (CloudException e) {
      throw new ApiException(400, "BadRequest", "the Alibaba Cloud client refused the settings: " + e.describe(), "endpoint");
    }
  }

  /**
   * The SDKs parse the endpoint as a URI: one the schema's pattern lets through but that is no URI (a '|', a
   * '_' in the host...) would throw from their constructors, a 500; it is a 400 naming the endpoint instead.
   */
  private static void checkSdkEndpoint(String endpoint) {
    if (endpoint == null) {
      return;
    }
    java.net.URI uri;
    try {
      uri = new java.net.URI(endpoint);
    } catch (java.net.URISyntaxException e) {
      uri = null;
    }
    if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
      throw new ApiException(400, "BadRequest", "endpoint '" + endpoint + "' is not a URL the cloud SDK can use; give "
          + "one such as https://ecs.cn-hangzhou.aliyuncs.com (letters, digits, '-' and '.' in the host)", "endpoint");
    }
  }
}
