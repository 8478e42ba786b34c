package dev.gantry.gateway;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.gantry.GantryNode;
import dev.gantry.cluster.ClusterMaps;
import dev.gantry.common.Ids;
import dev.gantry.config.DatabaseUrl;
import dev.gantry.config.GantryConfig;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A real single Gantry node for gateway tests (embedded PostgreSQL, Hazelcast, every verticle), with
 * the few things those tests need: API keys made through the API, model and instance records written
 * straight into the cluster maps, and the usage table read over JDBC.
 */
final class GatewayTestNode implements AutoCloseable {

  static final String ADMIN_PASSWORD = "gateway-test-password";

  final GantryNode node;
  final int port;
  final HazelcastInstance hazelcast;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String adminCookie;

  private GatewayTestNode(GantryNode node) throws Exception {
    this.node = node;
    this.port = node.config().port();
    this.hazelcast = ((HazelcastClusterManager) ((VertxInternal) node.vertx()).clusterManager()).getHazelcastInstance();
    HttpResponse<String> login = send("POST", "/auth/login", null,
        new JsonObject().put("username", "admin").put("password", ADMIN_PASSWORD));
    this.adminCookie = login.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
  }

  static GatewayTestNode start(Path dataDir) throws Exception {
    GantryConfig config = new GantryConfig(dataDir, "127.0.0.1", freePort(), freePort(), List.of(),
        "gw-" + Ids.random(6), Map.of(), null, freePort(), Duration.ofMinutes(10), ADMIN_PASSWORD, 2);
    return new GatewayTestNode(GantryNode.start(config));
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port + "/v1";
  }

  /** A new API key of a new user (role user) or of the admin; answers {"value", "id", "user_id"}. */
  JsonObject apiKey(boolean ownUser, String scope, JsonArray allowedModels) throws Exception {
    String cookie = adminCookie;
    if (ownUser) {
      String username = "u-" + Ids.random(8);
      send("POST", "/v2/users", adminCookie, new JsonObject().put("username", username).put("password", "password-" + username)
          .put("role", "user"));
      HttpResponse<String> login = send("POST", "/auth/login", null,
          new JsonObject().put("username", username).put("password", "password-" + username));
      cookie = login.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
    }
    JsonObject body = new JsonObject().put("name", "k-" + Ids.random(8)).put("scope", scope);
    if (allowedModels != null) {
      body.put("allowed_models", allowedModels);
    }
    return new JsonObject(send("POST", "/v2/api-keys", cookie, body).body());
  }

  HttpResponse<String> send(String method, String path, String cookie, JsonObject body) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()))
        .header("Content-Type", "application/json");
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 400) {
      throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response;
  }

  /** A raw gateway call with an API key (for what the SDK cannot send: invalid bodies, custom headers). */
  HttpResponse<String> call(String method, String path, String key, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> adminGet(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Cookie", adminCookie).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  IMap<String, String> map(String name) {
    return hazelcast.getMap(name);
  }

  void putModel(String name, String category) {
    map(ClusterMaps.MODELS).set(name, new JsonObject().put("id", Math.abs(name.hashCode())).put("name", name)
        .put("backend", "custom").put("categories", new JsonArray().add(category)).put("replicas", 1)
        .put("created_at", "2025-01-01T00:00:00Z").encode());
  }

  /** Writes an instance record; answers its id. */
  String putInstance(String model, String state, String stateMessage, int enginePort, String secret) {
    String id = "i-" + Ids.random(10);
    putInstance(id, model, state, stateMessage, enginePort, secret);
    return id;
  }

  void putInstance(String id, String model, String state, String stateMessage, int enginePort, String secret) {
    map(ClusterMaps.INSTANCES).set(id, new JsonObject().put("id", id).put("name", model + "-" + id.substring(2, 6))
        .put("model_id", Math.abs(model.hashCode())).put("model_name", model).put("node_name", node.config().nodeName())
        .put("address", "127.0.0.1").put("port", enginePort).put("secret", secret).put("state", state)
        .put("state_message", stateMessage).encode());
  }

  /** Usage rows matching the condition, polled until {@code expected} are there (or the deadline passes). */
  List<JsonObject> usageRows(String where, int expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<JsonObject> rows;
    do {
      rows = query("SELECT * FROM usage_records WHERE " + where + " ORDER BY created_at");
      if (rows.size() >= expected) {
        Thread.sleep(300);
        return query("SELECT * FROM usage_records WHERE " + where + " ORDER BY created_at");
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    return rows;
  }

  List<JsonObject> query(String sql) throws SQLException {
    DatabaseUrl db = DatabaseUrl.parse(node.config().dbUrl());
    try (Connection connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
         ResultSet rs = connection.createStatement().executeQuery(sql)) {
      List<JsonObject> rows = new ArrayList<>();
      while (rs.next()) {
        JsonObject row = new JsonObject();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          Object value = rs.getObject(i);
          row.put(rs.getMetaData().getColumnName(i), value instanceof Number || value instanceof String || value == null
              ? value : value.toString());
        }
        rows.add(row);
      }
      return rows;
    }
  }

  static <T> T await(java.util.function.Supplier<T> probe, Predicate<T> done, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    T value = probe.get();
    while (!done.test(value) && System.nanoTime() < deadline) {
      Thread.sleep(10);
      value = probe.get();
    }
    return value;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    node.close();
  }
}
