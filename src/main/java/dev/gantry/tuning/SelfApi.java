package dev.gantry.tuning;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * This node's own management API, called with a tuning run's key: the run deploys, benchmarks and deletes
 * its candidates through the same routes (validation, placement, metering) as any operator would.
 */
final class SelfApi {

  /** An answer that was not one of those expected; the message is the API's own. */
  static final class Refused extends RuntimeException {
    final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  private static final long TIMEOUT_MS = 60_000;

  private final HttpClient client;
  private final String host;
  private final int port;
  private final String key;

  SelfApi(Vertx vertx, String host, int port, String key) {
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
    this.host = host;
    this.port = port;
    this.key = key;
  }

  Future<JsonObject> get(String path) {
    return call(HttpMethod.GET, path, null, Set.of(200));
  }

  Future<JsonObject> post(String path, JsonObject body, int expected) {
    return call(HttpMethod.POST, path, body, Set.of(expected));
  }

  /** Deletes; a resource already gone counts as deleted. */
  Future<Void> delete(String path) {
    return call(HttpMethod.DELETE, path, null, Set.of(202, 204, 404)).mapEmpty();
  }

  Future<Void> close() {
    return client.close();
  }

  private Future<JsonObject> call(HttpMethod method, String path, JsonObject body, Set<Integer> expected) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(path)
        .putHeader("Authorization", "Bearer " + key).setTimeout(TIMEOUT_MS);
    if (body != null) {
      options.putHeader("Content-Type", "application/json");
    }
    return client.request(options)
        .compose(request -> body == null ? request.send() : request.send(body.toBuffer()))
        .compose(response -> response.body().compose(buffer -> {
          JsonObject json = buffer.length() == 0 ? new JsonObject() : parse(buffer.toString());
          if (!expected.contains(response.statusCode())) {
            return Future.failedFuture(new Refused(response.statusCode(), method + " " + path + " answered "
                + response.statusCode() + ": " + json.getString("message", buffer.toString())));
          }
          return Future.succeededFuture(json);
        }));
  }

  private static JsonObject parse(String text) {
    try {
      return new JsonObject(text);
    } catch (RuntimeException e) {
      return new JsonObject().put("message", text.length() > 200 ? text.substring(0, 200) : text);
    }
  }
}
