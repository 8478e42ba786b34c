package dev.gantry.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.cluster.ClusterSecret;
import dev.gantry.common.Ids;
import dev.gantry.gateway.TestEngine;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.GantryProcess;
import dev.gantry.testing.Ports;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Loss-free usage with a real node process under load from this JVM ({@link UsageLoad}, chat completions
 * against a {@code custom} {@link TestEngine} replica): a {@code kill -9} of the node, and PostgreSQL
 * stopped for 60 s. Every request that got a 2xx must end with exactly one usage row (matched by the
 * {@code X-Request-Id} this test sent).
 */
@DisplayName("Usage survives a killed node and a database outage under load")
class UsageJournalIT {

  private static final String PASSWORD = "usage-Admin-pw-7";
  private static final String SECRET = ClusterSecret.generate();
  private static final Duration ROWS_WAIT = Duration.ofSeconds(90);

  private static TestPostgres postgres;
  private static String dbUrl;
  private static Path workDir;
  private static int httpPort;
  private static int clusterPort;
  private static GantryProcess node;
  private static Api admin;
  private static String key;
  private static int starts;

  @BeforeAll
  static void start() throws Exception {
    postgres = TestPostgres.start();
    dbUrl = postgres.newDatabase("gantry_usage");
    workDir = TestFiles.tempDir("gantry-usage-it-");
    httpPort = Ports.free();
    clusterPort = Ports.free();
    startNode();
    key = admin.createKey("usage-load", "inference").getString("value");
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      killWithEngines();
    }
    if (postgres != null) {
      postgres.close();
    }
    TestFiles.deleteRecursively(workDir);
  }

  @Test
  @DisplayName("kill -9 of the node under load: after its restart every answered request has exactly one usage row")
  void killedNodeLosesNoUsageOfAnsweredRequests() throws Exception {
    String model = deployTestEngine();
    try (UsageLoad load = UsageLoad.start(httpPort, key, model, 8)) {
      load.awaitAnswered(1_000, Duration.ofSeconds(60));
      killWithEngines();
      load.stop();
      System.out.printf("kill -9 under load: %d requests answered 2xx before the kill, %d failed%n",
          load.answered().size(), load.failed());

      startNode();
      assertExactlyOneRowEach(model, load.answered());
    }
  }

  @Test
  @DisplayName("PostgreSQL stopped for 60 s under load: inference goes on and no usage row is lost")
  void databaseOutageStopsNoInferenceAndLosesNoUsage() throws Exception {
    String model = deployTestEngine();
    try (UsageLoad load = UsageLoad.start(httpPort, key, model, 8)) {
      load.awaitAnswered(500, Duration.ofSeconds(60));
      postgres.stop();
      long before = load.answered().size();
      Thread.sleep(60_000);
      long during = load.answered().size() - before;
      long failedDuring = load.failed();
      postgres.restart();
      assertThat(failedDuring).as("requests that failed while the database was down: %s", load.failures()).isZero();
      load.awaitAnswered(load.answered().size() + 500, Duration.ofSeconds(60));
      load.stop();
      System.out.printf("database outage: %d requests answered during the 60 s outage, %d in all, %d failed%n",
          during, load.answered().size(), load.failed());

      assertThat(during).isPositive();
      assertThat(load.failed()).as("failed requests: %s", load.failures()).isZero();
      assertExactlyOneRowEach(model, load.answered());
    }
  }

  private static void assertExactlyOneRowEach(String model, Set<String> answered) {
    long started = System.nanoTime();
    Eventually.await(ROWS_WAIT, () -> assertThat(postgres.query(TestPostgres.databaseOf(dbUrl),
        "SELECT count(*) AS n FROM usage_records WHERE model = ?", model).get(0).get("n")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LONG)
        .isGreaterThanOrEqualTo((long) answered.size()));
    Eventually.await(ROWS_WAIT, () -> {
      Set<String> recorded = rowsByRequestId(model).keySet();
      assertThat(answered.stream().filter(id -> !recorded.contains(id)).limit(20).toList())
          .as("answered requests without a usage row").isEmpty();
    });
    System.out.printf("all %d answered requests had their usage row %d ms after the check began%n", answered.size(),
        (System.nanoTime() - started) / 1_000_000);
    Map<String, Long> rows = rowsByRequestId(model);
    assertThat(rows.entrySet().stream().filter(e -> e.getValue() != 1).map(Map.Entry::getKey).toList())
        .as("requests with more than one usage row").isEmpty();
    assertThat(postgres.query(TestPostgres.databaseOf(dbUrl),
        "SELECT request_id FROM usage_records WHERE model = ? AND (status <> 200 OR outcome <> 'ok')", model).stream()
        .map(r -> (String) r.get("request_id")).filter(answered::contains).toList())
        .as("answered requests recorded as failed").isEmpty();
  }

  private static Map<String, Long> rowsByRequestId(String model) {
    return postgres.query(TestPostgres.databaseOf(dbUrl),
            "SELECT request_id, count(*) AS n FROM usage_records WHERE model = ? GROUP BY request_id", model)
        .stream().collect(Collectors.toMap(r -> (String) r.get("request_id"), r -> (Long) r.get("n")));
  }

  private static void startNode() {
    starts++;
    node = GantryProcess.start("usage-node-" + starts, workDir.resolve("run"), List.of(
        "--data-dir", workDir.resolve("data").toString(), "--host", "127.0.0.1", "--port", String.valueOf(httpPort),
        "--cluster-port", String.valueOf(clusterPort), "--node-name", "usage-node", "--db-url", dbUrl,
        "--bootstrap-password", PASSWORD, "--cluster-secret", SECRET, "--reschedule-grace", "3"));
    String url = "http://127.0.0.1:" + httpPort;
    Eventually.await(Duration.ofSeconds(120), () -> {
      assertThat(node.alive()).as("node output:%n%s", node.output()).isTrue();
      assertThat(new Api(url).get("/health/ready").status()).isEqualTo(200);
    });
    admin = new Api(url).login("admin", PASSWORD);
  }

  /** kill -9 of the node, then of the engines it started (they would otherwise outlive it for a while). */
  private static void killWithEngines() {
    List<ProcessHandle> engines = new ArrayList<>(node.process().descendants().toList());
    node.kill();
    engines.forEach(ProcessHandle::destroyForcibly);
  }

  private static String deployTestEngine() throws Exception {
    Path files = Files.createDirectories(workDir.resolve("engine"));
    Files.writeString(files.resolve("java.args"), "-Xmx96m -XX:TieredStopAtLevel=1 -cp "
        + System.getProperty("java.class.path") + " " + TestEngine.class.getName() + "\n");
    Files.writeString(files.resolve("test-engine.model"), "a test engine needs no weights\n");
    String command = Path.of(System.getProperty("java.home"), "bin", "java") + " @" + files.resolve("java.args")
        + " --host {{host}} --port {{port}}"; // the engine reads its key from GANTRY_API_KEY
    String model = "usage-" + Ids.random(6).toLowerCase();
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", model).put("backend", "custom")
        .put("run_command", command).put("local_path", files.resolve("test-engine.model").toString())
        .put("replicas", 1).put("estimate_override_bytes", 64L << 20)), 201);
    Eventually.await(Duration.ofSeconds(90), () -> assertThat(admin.get("/v2/model-instances?model_name=" + model).items()
        .stream().map(i -> ((JsonObject) i).getString("state")).toList()).containsExactly("running"));
    return model;
  }
}
