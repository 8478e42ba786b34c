package dev.gantry.pool;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * DigitalOcean's API v2 droplet calls as a Vert.x server on loopback, with the wire format of the
 * reference table: bearer token, 202 on create, 204 on delete, {@code tag_name} or {@code type=gpus}
 * listing (not both: 422, as the real API refuses it) with {@code links.pages.next}, errors as
 * {@code {"id","message","request_id"}}, 429 with {@code ratelimit-*} headers. A size in
 * {@link #outOfCapacity} answers 422 "not available". Failures can be scripted per call; the
 * {@code onCreate} hook gets each new droplet's name and plain-text user-data (the test boots a node from
 * it), {@code onDelete} its name.
 */
public final class FakeDigitalOcean implements AutoCloseable {

  /** A scripted answer for the next matching call; {@code createFirst}: a create that happens but answers this. */
  record Failure(String method, int status, String id, String message, boolean createFirst) {
  }

  final String token;
  final Map<String, JsonObject> droplets = new LinkedHashMap<>();
  final List<String> calls = new ArrayList<>();
  final Deque<Failure> failures = new ConcurrentLinkedDeque<>();
  final java.util.Set<String> outOfCapacity = java.util.concurrent.ConcurrentHashMap.newKeySet();
  volatile int pageSize = 200;
  private final AtomicLong ids = new AtomicLong(3164400);
  private final BiConsumer<String, String> onCreate;
  private final Consumer<String> onDelete;
  private final HttpServer server;

  private FakeDigitalOcean(Vertx vertx, String token, BiConsumer<String, String> onCreate, Consumer<String> onDelete) {
    this.token = token;
    this.onCreate = onCreate;
    this.onDelete = onDelete;
    this.server = vertx.createHttpServer().requestHandler(this::handle);
  }

  public static FakeDigitalOcean start(Vertx vertx, String token, BiConsumer<String, String> onCreate, Consumer<String> onDelete) {
    FakeDigitalOcean fake = new FakeDigitalOcean(vertx, token, onCreate, onDelete);
    fake.server.listen(0, "127.0.0.1").await();
    return fake;
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  synchronized List<JsonObject> tagged(String tag) {
    return droplets.values().stream().filter(d -> d.getJsonArray("tags").contains(tag)).map(JsonObject::copy).toList();
  }

  synchronized long count(String call) {
    return calls.stream().filter(c -> c.startsWith(call)).count();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      synchronized (this) {
        String path = request.path();
        calls.add(request.method() + " " + path);
        if (!("Bearer " + token).equals(request.getHeader("Authorization"))) {
          error(request, 401, "unauthorized", "Unable to authenticate you");
          return;
        }
        Failure failure = failures.peek();
        if (failure != null && failure.method().equals(request.method().name())) {
          failures.poll();
          if (failure.status() == 429) {
            request.response().putHeader("ratelimit-limit", "5000").putHeader("ratelimit-remaining", "0")
                .putHeader("ratelimit-reset", String.valueOf(Instant.now().getEpochSecond() + 60));
          }
          if (failure.createFirst() && path.equals("/v2/droplets")) {
            create(body.toJsonObject());
          }
          error(request, failure.status(), failure.id(), failure.message());
          return;
        }
        switch (request.method().name()) {
          case "POST" -> post(request, body.toJsonObject());
          case "GET" -> get(request, path);
          case "DELETE" -> delete(request, path);
          default -> error(request, 405, "method_not_allowed", "method not allowed");
        }
      }
    });
  }

  private void post(HttpServerRequest request, JsonObject body) {
    for (String field : List.of("name", "region", "size", "image")) {
      if (body.getString(field) == null) {
        error(request, 422, "unprocessable_entity", field + " is required");
        return;
      }
    }
    if (outOfCapacity.contains(body.getString("size"))) {
      error(request, 422, "unprocessable_entity", "Size is not available in this region.");
      return;
    }
    JsonObject droplet = create(body);
    request.response().setStatusCode(202).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("droplet", droplet).put("links", new JsonObject().put("actions", new JsonArray()
            .add(new JsonObject().put("id", 7515).put("rel", "create")))).encode());
  }

  private JsonObject create(JsonObject body) {
    long id = ids.incrementAndGet();
    boolean gpu = body.getString("size").startsWith("gpu-");
    JsonObject droplet = new JsonObject().put("id", id).put("name", body.getString("name")).put("status", "new")
        .put("size_slug", body.getString("size")).put("region", new JsonObject().put("slug", body.getString("region")))
        .put("image", new JsonObject().put("slug", body.getString("image")))
        .put("networks", new JsonObject().put("v4", new JsonArray().add(new JsonObject()
            .put("ip_address", "10.0.0." + (id % 250)).put("type", "private"))))
        .put("tags", body.getJsonArray("tags", new JsonArray())).put("created_at", Instant.now().toString())
        .put("gpu", gpu);
    droplets.put(String.valueOf(id), droplet);
    onCreate.accept(body.getString("name"), body.getString("user_data"));
    return droplet;
  }

  private void get(HttpServerRequest request, String path) {
    if (path.startsWith("/v2/droplets/")) {
      JsonObject droplet = droplets.get(path.substring("/v2/droplets/".length()));
      if (droplet == null) {
        error(request, 404, "not_found", "The resource you were accessing could not be found.");
      } else {
        request.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("droplet", droplet).encode());
      }
      return;
    }
    String tag = request.getParam("tag_name");
    String type = request.getParam("type");
    if (tag != null && type != null) {
      error(request, 422, "unprocessable_entity", "type can not be combined with tag_name");
      return;
    }
    List<JsonObject> matching = droplets.values().stream()
        .filter(d -> tag == null || d.getJsonArray("tags").contains(tag))
        .filter(d -> "gpus".equals(type) == d.getBoolean("gpu")).toList();
    int page = Integer.parseInt(request.getParam("page", "1"));
    int perPage = Math.min(pageSize, Integer.parseInt(request.getParam("per_page", "20")));
    List<JsonObject> slice = matching.stream().skip((long) (page - 1) * perPage).limit(perPage).toList();
    JsonObject pages = new JsonObject();
    if ((long) page * perPage < matching.size()) {
      pages.put("next", url() + "/v2/droplets?" + (tag == null ? "type=" + type : "tag_name=" + tag) + "&per_page=" + perPage
          + "&page=" + (page + 1));
    }
    request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
        .put("droplets", new JsonArray(new ArrayList<>(slice))).put("links", new JsonObject().put("pages", pages))
        .put("meta", new JsonObject().put("total", matching.size())).encode());
  }

  private void delete(HttpServerRequest request, String path) {
    JsonObject gone = droplets.remove(path.substring("/v2/droplets/".length()));
    if (gone == null) {
      error(request, 404, "not_found", "The resource you were accessing could not be found.");
      return;
    }
    onDelete.accept(gone.getString("name"));
    request.response().setStatusCode(204).end();
  }

  private static void error(HttpServerRequest request, int status, String id, String message) {
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("id", id).put("message", message).put("request_id", "req-" + System.nanoTime()).encode());
  }

  @Override
  public void close() {
    server.close().await();
  }
}
