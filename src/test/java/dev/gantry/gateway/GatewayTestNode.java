package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.gantry.cluster.ClusterMaps;
import dev.gantry.cluster.ClusterSecret;
import dev.gantry.common.Ids;
import dev.gantry.metering.MeteringVerticle;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import dev.gantry.testing.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One real node ({@link TestNodes}) for gateway tests, plus what they need: API keys made through the
 * API, models deployed through the API whose replicas are real {@link TestEngine} processes (which a
 * test can switch into failure modes), instance records changed as a node agent would, and the usage
 * table read from the test PostgreSQL.
 */
final class GatewayTestNode implements AutoCloseable {

  final TestNodes nodes;
  final Api admin;
  final int port;
  private final HazelcastInstance hazelcast;
  private final String database;
  private final HttpClient http = HttpClient.newHttpClient();
  private Path engineFiles;

  private GatewayTestNode(TestNodes nodes) {
    this.nodes = nodes;
    this.admin = nodes.admin(1);
    this.port = URI.create(nodes.url(1)).getPort();
    this.database = TestPostgres.databaseOf(nodes.dbUrl());
    List<String> args = nodes.args(1);
    String clusterPort = args.get(args.indexOf("--cluster-port") + 1);
    this.hazelcast = Hazelcast.getAllHazelcastInstances().stream()
        .filter(h -> String.valueOf(h.getCluster().getLocalMember().getAddress().getPort()).equals(clusterPort))
        .findFirst().orElseThrow();
  }

  static GatewayTestNode start() {
    return new GatewayTestNode(TestNodes.start(1));
  }

  /** A node started with extra arguments ({@code --engines-dir ...}). */
  static GatewayTestNode startWith(String... extraArgs) {
    return new GatewayTestNode(TestNodes.startWith(1, extraArgs));
  }

  String baseUrl() {
    return nodes.url(1) + "/v1";
  }

  /** A new API key of a new user (role user), or of the admin; answers the creation response ({@code value}, {@code id}, {@code user_id}). */
  JsonObject apiKey(boolean ownUser, String scope, JsonArray allowedModels) {
    Api owner = admin;
    if (ownUser) {
      String username = "u-" + Ids.random(8);
      admin.createUser(username, "password-" + username, "user");
      owner = nodes.api(1).login(username, "password-" + username);
    }
    JsonObject body = new JsonObject().put("name", "k-" + Ids.random(8)).put("scope", scope);
    return owner.createKey(allowedModels == null ? body : body.put("allowed_models", allowedModels));
  }

  /** A raw gateway call with an API key, or none for a null key (for what the SDK cannot send: invalid bodies, custom headers). */
  HttpResponse<String> call(String method, String path, String key, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(nodes.url(1) + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Deploys a model (backend {@code custom}) whose replicas are {@link TestEngine} processes and waits
   * until all of them run and the gateway lists the model; answers the instances (with their ports).
   */
  List<JsonObject> deployTestEngines(String model, int replicas) {
    return deploy(testEngineSpec(model, testEngineFiles()).put("replicas", replicas), replicas);
  }

  /** A model spec (backend {@code custom}) whose replicas are {@link TestEngine} processes, from a folder made by {@link #writeTestEngineFiles}. */
  static JsonObject testEngineSpec(String model, Path files) {
    String command = Path.of(System.getProperty("java.home"), "bin", "java") + " @" + files.resolve("java.args")
        + " --host {{host}} --port {{port}}";
    return new JsonObject().put("name", model).put("backend", "custom").put("run_command", command)
        .put("local_path", files.resolve("test-engine.model").toString()).put("estimate_override_bytes", 64L << 20);
  }

  /** Deploys a model through the API and waits until {@code replicas} instances run and the gateway lists it. */
  List<JsonObject> deploy(JsonObject spec, int replicas) {
    String model = spec.getString("name");
    Api.expect(admin.post("/v2/models", spec), 201);
    List<JsonObject>[] running = new List[1];
    Eventually.await(Duration.ofSeconds(60), () -> {
      running[0] = instances(model).stream().filter(i -> "running".equals(i.getString("state"))).toList();
      assertThat(running[0]).as("running instances of %s: %s", model, instances(model)).hasSize(replicas);
    });
    Eventually.await(Duration.ofSeconds(5), () -> assertThat(admin.get("/v1/models").body()).contains("\"" + model + "\""));
    return running[0];
  }

  List<JsonObject> instances(String model) {
    return Api.expect(admin.get("/v2/model-instances?model_name=" + model), 200).getJsonArray("items").stream()
        .map(JsonObject.class::cast).toList();
  }

  /** Changes fields of an instance record in the cluster map, as a node agent or the scheduler would. */
  void changeInstance(String id, JsonObject fields) {
    IMap<String, String> map = hazelcast.getMap(ClusterMaps.INSTANCES);
    map.set(id, new JsonObject(map.get(id)).mergeIn(fields).encode());
  }

  /** The bearer token an instance's engine requires: derived from the cluster secret, stored nowhere. */
  String engineKeyOf(String id) {
    return ClusterSecret.of(nodes.clusterSecret).engineKey(id);
  }

  /** Writes an engine's reading to {@code gantry.engine-load}, as the node's engine metrics scraper would. */
  void engineLoad(String instanceId, JsonObject reading) {
    IMap<String, String> map = hazelcast.getMap(ClusterMaps.ENGINE_LOAD);
    map.put(instanceId, reading.encode());
  }

  /** Switches a test engine's behaviour; answers its statistics. */
  JsonObject engineMode(JsonObject instance, String mode) {
    return engine(instance, "POST", "/control/mode/" + mode);
  }

  /** What a test engine saw: {@code requests}, {@code closed_early}, {@code request_ids}. */
  JsonObject engineStats(JsonObject instance) {
    return engine(instance, "GET", "/control/stats");
  }

  private JsonObject engine(JsonObject instance, String method, String path) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.getInteger("port") + path))
          .method(method, HttpRequest.BodyPublishers.noBody()).build();
      return new JsonObject(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A folder with the test engine's java argument file (its class path is too long for a command) and a model file. */
  private synchronized Path testEngineFiles() {
    if (engineFiles == null) {
      engineFiles = writeTestEngineFiles();
    }
    return engineFiles;
  }

  /** A new temp folder with the test engine's java argument file and a model file; the caller deletes it. */
  static Path writeTestEngineFiles() {
    Path folder = TestFiles.tempDir("gantry-test-engine-");
    try {
      Files.writeString(folder.resolve("java.args"), "-Xmx64m -XX:TieredStopAtLevel=1 -cp "
          + System.getProperty("java.class.path") + " " + TestEngine.class.getName() + "\n");
      Files.writeString(folder.resolve("test-engine.model"), "a test engine needs no weights\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return folder;
  }

  /**
   * The usage rows of a model once there are {@code expected} of them, checked again after the next
   * metering flush so that a second record of the same request would be seen.
   */
  List<JsonObject> usageRows(String model, int expected) {
    Eventually.await(Duration.ofSeconds(10), () -> {
      if (rows(model).size() < expected) {
        throw new AssertionError("fewer than " + expected + " usage rows for " + model);
      }
    });
    try {
      Thread.sleep(2 * MeteringVerticle.FLUSH_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return rows(model);
  }

  /** The usage row of the request sent with {@code X-Request-Id: requestId}, once it is there. */
  JsonObject usageRowOfRequest(String requestId) {
    JsonObject[] row = new JsonObject[1];
    Eventually.await(Duration.ofSeconds(10), () -> {
      List<Map<String, Object>> rows = TestPostgres.shared().query(database,
          "SELECT * FROM usage_records WHERE request_id = ?", requestId);
      assertThat(rows).as("usage rows of request %s", requestId).hasSize(1);
      row[0] = json(rows.get(0));
    });
    return row[0];
  }

  private List<JsonObject> rows(String model) {
    return TestPostgres.shared().query(database, "SELECT * FROM usage_records WHERE model = ? ORDER BY created_at", model)
        .stream().map(GatewayTestNode::json).toList();
  }

  private static JsonObject json(Map<String, Object> row) {
    JsonObject json = new JsonObject();
    row.forEach((column, value) -> json.put(column,
        value == null || value instanceof Number || value instanceof String ? value : value.toString()));
    return json;
  }

  @Override
  public void close() {
    nodes.close();
    if (engineFiles != null) {
      TestFiles.deleteRecursively(engineFiles);
    }
  }
}
