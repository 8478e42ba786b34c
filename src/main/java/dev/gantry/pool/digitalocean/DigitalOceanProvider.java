package dev.gantry.pool.digitalocean;

import dev.gantry.pool.CloudException;
import dev.gantry.pool.CloudInstance;
import dev.gantry.pool.CloudProvider;
import dev.gantry.pool.InstanceSpec;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DigitalOcean's API v2 over Vert.x WebClient (DigitalOcean has no maintained Java SDK): droplets are
 * created with plain-text {@code user_data} and tags in the {@code key:value} form, listed by tag page by
 * page (following {@code links.pages.next}), deleted one by one. GPU droplets are only listed with
 * {@code type=gpus}, which cannot be combined with {@code tag_name}, so a GPU pool lists every GPU droplet and
 * filters by tag here (a pool with GPU types lists both ways). Status 429 is {@link CloudException.Kind#THROTTLED} with the reset time of the
 * {@code ratelimit-reset} header; 5xx is unavailable; a 422 that says a size is not available is capacity.
 */
public final class DigitalOceanProvider implements CloudProvider {

  public static final String DEFAULT_ENDPOINT = "https://api.digitalocean.com";
  static final long TIMEOUT_MS = 30_000;
  static final int PER_PAGE = 200;
  static final int MAX_PAGES = 50;

  private final WebClient client;
  private final URI endpoint;
  private final String token;
  private final boolean gpus;

  /** @param gpus whether the pool's droplets are GPU droplets (listed with {@code type=gpus}) */
  public DigitalOceanProvider(WebClient client, String endpoint, String token, boolean gpus) {
    this.client = client;
    this.endpoint = URI.create(endpoint == null ? DEFAULT_ENDPOINT : endpoint);
    this.token = token;
    this.gpus = gpus;
  }

  static String tag(String key, String value) {
    return key + ":" + value;
  }

  @Override
  public Future<CloudInstance> create(InstanceSpec spec, String idempotencyKey) {
    JsonArray tags = new JsonArray();
    spec.tags().forEach((k, v) -> tags.add(tag(k, v)));
    JsonObject body = new JsonObject().put("name", spec.name()).put("region", spec.region())
        .put("size", spec.instanceType()).put("image", spec.image()).put("tags", tags)
        .put("user_data", spec.userData()).put("monitoring", false);
    return send(request(HttpMethod.POST, "/v2/droplets"), body.toBuffer())
        .map(response -> droplet(expect(response, 202).getJsonObject("droplet")));
  }

  @Override
  public Future<CloudInstance> get(String id) {
    return send(request(HttpMethod.GET, "/v2/droplets/" + id), null).map(response -> response.statusCode() == 404
        ? null : droplet(expect(response, 200).getJsonObject("droplet")));
  }

  @Override
  public Future<List<CloudInstance>> listByTags(Map<String, String> tags) {
    Map.Entry<String, String> first = tags.entrySet().iterator().next();
    Future<List<CloudInstance>> tagged = page("/v2/droplets?tag_name=" + tag(first.getKey(), first.getValue())
        + "&per_page=" + PER_PAGE + "&page=1", new ArrayList<>(), 1);
    Future<List<CloudInstance>> gpuDroplets = gpus
        ? page("/v2/droplets?type=gpus&per_page=" + PER_PAGE + "&page=1", new ArrayList<>(), 1)
        : Future.succeededFuture(List.of());
    return Future.all(tagged, gpuDroplets).map(both -> {
      Map<String, CloudInstance> byId = new LinkedHashMap<>();
      both.<List<CloudInstance>>resultAt(0).forEach(d -> byId.put(d.id(), d));
      both.<List<CloudInstance>>resultAt(1).forEach(d -> byId.put(d.id(), d));
      return byId.values().stream().filter(d -> d.tags().entrySet().containsAll(tags.entrySet())).toList();
    });
  }

  private Future<List<CloudInstance>> page(String pathAndQuery, List<CloudInstance> found, int pages) {
    return send(request(HttpMethod.GET, pathAndQuery), null).compose(response -> {
      JsonObject body = expect(response, 200);
      body.getJsonArray("droplets", new JsonArray()).forEach(d -> found.add(droplet((JsonObject) d)));
      String next = body.getJsonObject("links", new JsonObject()).getJsonObject("pages", new JsonObject()).getString("next");
      if (next == null || pages >= MAX_PAGES) {
        return Future.succeededFuture(found);
      }
      URI uri = URI.create(next);
      return page(uri.getRawPath() + "?" + uri.getRawQuery(), found, pages + 1);
    });
  }

  @Override
  public Future<Void> delete(String id) {
    return send(request(HttpMethod.DELETE, "/v2/droplets/" + id), null).compose(response -> {
      if (response.statusCode() != 404) {
        expect(response, 204);
      }
      return Future.<Void>succeededFuture();
    });
  }

  private HttpRequest<Buffer> request(HttpMethod method, String pathAndQuery) {
    int port = endpoint.getPort() > 0 ? endpoint.getPort() : "https".equals(endpoint.getScheme()) ? 443 : 80;
    return client.request(method, port, endpoint.getHost(), pathAndQuery).ssl("https".equals(endpoint.getScheme()))
        .putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/json")
        .timeout(TIMEOUT_MS);
  }

  private static Future<HttpResponse<Buffer>> send(HttpRequest<Buffer> request, Buffer body) {
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendBuffer(body);
    return sent.recover(e -> Future.failedFuture(e instanceof CloudException ? e
        : new CloudException(CloudException.Kind.UNAVAILABLE, "connection", "DigitalOcean API unreachable: " + e.getMessage())));
  }

  /** The body of an answer with the expected status, else the DigitalOcean error as a {@link CloudException}. */
  static JsonObject expect(HttpResponse<Buffer> response, int status) {
    if (response.statusCode() == status) {
      return status == 204 ? new JsonObject() : response.bodyAsJsonObject();
    }
    JsonObject error;
    try {
      error = response.bodyAsJsonObject();
    } catch (RuntimeException e) {
      error = null;
    }
    String id = error == null ? "http_" + response.statusCode() : error.getString("id", "http_" + response.statusCode());
    String message = error == null ? "HTTP " + response.statusCode() : error.getString("message", "HTTP " + response.statusCode());
    int code = response.statusCode();
    if (code == 429) {
      String reset = response.getHeader("ratelimit-reset");
      return fail(CloudException.Kind.THROTTLED, id, message + (reset == null ? ""
          : " (rate limit resets at " + Instant.ofEpochSecond(Long.parseLong(reset.trim())) + ")"));
    }
    if (code >= 500) {
      return fail(CloudException.Kind.UNAVAILABLE, id, message);
    }
    if (code == 404) {
      return fail(CloudException.Kind.NOT_FOUND, id, message);
    }
    String lower = message.toLowerCase();
    boolean capacity = code == 422 && (lower.contains("not available") || lower.contains("capacity"));
    return fail(capacity ? CloudException.Kind.CAPACITY : CloudException.Kind.REFUSED, id, message);
  }

  private static JsonObject fail(CloudException.Kind kind, String id, String message) {
    throw new CloudException(kind, id, message);
  }

  static CloudInstance droplet(JsonObject droplet) {
    Map<String, String> tags = new LinkedHashMap<>();
    droplet.getJsonArray("tags", new JsonArray()).forEach(t -> {
      String tag = String.valueOf(t);
      int colon = tag.indexOf(':');
      tags.put(colon < 0 ? tag : tag.substring(0, colon), colon < 0 ? "" : tag.substring(colon + 1));
    });
    String privateIp = droplet.getJsonObject("networks", new JsonObject()).getJsonArray("v4", new JsonArray()).stream()
        .map(o -> (JsonObject) o).filter(n -> "private".equals(n.getString("type"))).map(n -> n.getString("ip_address"))
        .findFirst().orElse(null);
    String created = droplet.getString("created_at");
    return new CloudInstance(String.valueOf(droplet.getValue("id")), droplet.getString("name"),
        droplet.getString("size_slug"), droplet.getString("status"), privateIp, tags,
        created == null ? null : Instant.parse(created));
  }
}
