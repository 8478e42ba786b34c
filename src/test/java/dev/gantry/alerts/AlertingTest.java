package dev.gantry.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.gantry.node.device.AcceleratorDetector;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.FakeAccelerators;
import dev.gantry.testing.SseClient;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One in-JVM node on a fake machine (one NVIDIA L40S whose temperature the test sets) with two webhook
 * receivers served by the test: a replica whose engine exits at once fires "replica in error" to them and
 * resolves when its model is deleted; a hot device fires and resolves; receivers' URLs never show in clear;
 * bad rules are refused naming the field; the shipped Prometheus rules name series a node really exports.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertingTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String TOKEN = "hook-token-s3cret";
  private static final String CSV_HEADER = "index, name, uuid, memory.total [MiB], memory.used [MiB], utilization.gpu [%], "
      + "temperature.gpu, power.draw [W], driver_version, pci.bus_id, compute_cap\n";
  private static TestNodes nodes;
  private static Api admin;
  private static Path dir;
  private static Path nvidiaCsv;
  private static Vertx vertx;
  private static HttpServer receiver;
  private static final Queue<JsonObject> jsonHooks = new ConcurrentLinkedQueue<>();
  private static final Queue<JsonObject> slackHooks = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void start() throws Exception {
    dir = TestFiles.tempDir("gantry-alerting-");
    nvidiaCsv = dir.resolve("nvidia.csv");
    temperature(40);
    FakeAccelerators fake = new FakeAccelerators(dir).pci("0000:17:00.0", 0x10de, 0x030200)
        .tool("nvidia-smi", "cat '" + nvidiaCsv + "'");
    vertx = Vertx.vertx();
    receiver = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      if (!request.uri().contains(TOKEN)) {
        request.response().setStatusCode(403).end();
        return;
      }
      (request.path().endsWith("/slack") ? slackHooks : jsonHooks).add(body.toJsonObject());
      request.response().setStatusCode(204).end();
    })).listen(0, "127.0.0.1").await();
    System.setProperty(AcceleratorDetector.SYSFS_PROPERTY, fake.sysfs().toString());
    System.setProperty(AcceleratorDetector.TOOLS_PROPERTY, fake.tools().toString());
    try {
      nodes = TestNodes.start(1);
    } finally {
      System.clearProperty(AcceleratorDetector.SYSFS_PROPERTY);
      System.clearProperty(AcceleratorDetector.TOOLS_PROPERTY);
    }
    admin = nodes.admin(1);
    String base = "http://127.0.0.1:" + receiver.actualPort();
    Api.expect(admin.post("/v2/alert-receivers", new JsonObject().put("name", "test-json")
        .put("url", base + "/json?token=" + TOKEN)), 201);
    Api.expect(admin.post("/v2/alert-receivers", new JsonObject().put("name", "test-slack").put("format", "slack")
        .put("url", base + "/slack?token=" + TOKEN)), 201);
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
    if (vertx != null) {
      vertx.close().await();
    }
    TestFiles.deleteRecursively(dir);
  }

  @Test
  @Order(1)
  void aFreshClusterHasTheBuiltInRules() {
    JsonArray rules = Api.expect(admin.get("/v2/alert-rules"), 200).getJsonArray("items");
    assertThat(rules.stream().map(r -> ((JsonObject) r).getString("id")).toList()).startsWith("node-unreachable",
        "replica-error", "device-temperature", "device-vanished", "model-error-rate", "model-ttft-p95");
    JsonObject temperature = Api.expect(admin.get("/v2/alert-rules/device-temperature"), 200);
    assertThat(temperature.getDouble("threshold")).isEqualTo(90.0);
    assertThat(temperature.getLong("for_seconds")).isEqualTo(120);
    assertThat(temperature.getBoolean("builtin")).isTrue();
    assertThat(Api.expect(admin.get("/v2/alert-rules/model-error-rate"), 200).getInteger("min_requests")).isEqualTo(20);
  }

  @Test
  @Order(2)
  void aReplicaWhoseEngineExitsFiresToTheWebhooksAndResolvesWhenItsModelIsDeleted() throws Exception {
    SseClient firingWatch = SseClient.watch(admin, "/v2/alerts?state=firing");
    JsonObject rule = Api.expect(admin.patch("/v2/alert-rules/replica-error", new JsonObject().put("for_seconds", 3)), 200);
    assertThat(rule.getLong("for_seconds")).isEqualTo(3);
    String name = "broken-" + System.nanoTime() % 100_000;
    Path file = Files.writeString(dir.resolve(name + ".model"), "not a model");
    JsonObject model = Api.expect(admin.post("/v2/models", new JsonObject().put("name", name).put("backend", "custom")
        .put("run_command", "sh -c 'echo engine-broke >&2; exit 3'").put("local_path", file.toString())
        .put("replicas", 1).put("estimate_override_bytes", 1L << 20)), 201);

    Eventually.await(WAIT, () -> assertThat(hook(jsonHooks, name, "firing")).isNotNull());
    JsonObject fired = hook(jsonHooks, name, "firing");
    JsonObject alert = fired.getJsonObject("alert");
    assertThat(alert.getString("kind")).isEqualTo("replica_error");
    assertThat(alert.getString("severity")).isEqualTo("critical");
    assertThat(alert.getJsonObject("labels").getString("model")).isEqualTo(name);
    assertThat(alert.getJsonObject("labels").getString("node")).isEqualTo(nodes.name(1));
    assertThat(alert.getString("message")).startsWith("replica " + name).contains(" of model " + name
        + " is in error on node " + nodes.name(1) + ": ");
    assertThat(Duration.between(Instant.parse(alert.getString("started_at")), Instant.parse(alert.getString("firing_at"))))
        .as("pending for the rule's 3 s first").isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    Eventually.await(WAIT, () -> assertThat(slackHooks).anySatisfy(h -> assertThat(h.getString("text"))
        .startsWith("[FIRING] critical: replica " + name)));
    try (firingWatch) {
      assertThat(firingWatch.awaitEvent(e -> alert.getString("id").equals(e.item("id")), WAIT).json().getString("state"))
          .isEqualTo("firing");
    }
    JsonArray firing = Api.expect(admin.get("/v2/alerts?state=firing"), 200).getJsonArray("items");
    assertThat(firing.stream().map(JsonObject.class::cast)).anySatisfy(a -> assertThat(a.getString("id"))
        .isEqualTo(alert.getString("id")));

    Api.expect(admin.get("/v2/models/" + model.getValue("id")), 200);
    assertThat(admin.delete("/v2/models/" + model.getValue("id")).status()).isEqualTo(204);

    Eventually.await(WAIT, () -> assertThat(hook(jsonHooks, name, "resolved")).isNotNull());
    JsonObject resolved = hook(jsonHooks, name, "resolved").getJsonObject("alert");
    assertThat(resolved.getString("id")).isEqualTo(alert.getString("id"));
    assertThat(resolved.getString("resolved_at")).isNotNull();
    assertThat(jsonHooks.stream().filter(h -> alert.getString("id").equals(h.getJsonObject("alert").getString("id"))
        && "firing".equals(h.getString("status")))).as("one delivery per transition").hasSize(1);
    assertThat(Api.expect(admin.get("/v2/alerts?state=resolved"), 200).getJsonArray("items").stream()
        .map(JsonObject.class::cast)).anySatisfy(a -> assertThat(a.getString("id")).isEqualTo(alert.getString("id")));
  }

  @Test
  @Order(3)
  void aDeviceAboveItsThresholdFiresAndResolvesWhenItCools() throws Exception {
    Api.expect(admin.patch("/v2/alert-rules/device-temperature", new JsonObject().put("for_seconds", 2)), 200);
    String device = nodes.name(1) + ":cuda:0";

    temperature(95);

    Eventually.await(WAIT, () -> assertThat(hook(jsonHooks, device, "firing")).isNotNull());
    JsonObject alert = hook(jsonHooks, device, "firing").getJsonObject("alert");
    assertThat(alert.getString("kind")).isEqualTo("device_temperature");
    assertThat(alert.getDouble("value")).isEqualTo(95.0);
    assertThat(alert.getString("message")).isEqualTo("device " + device + " (NVIDIA L40S) on node " + nodes.name(1)
        + " is at 95 °C (threshold 90 °C)");

    temperature(50);

    Eventually.await(WAIT, () -> assertThat(hook(jsonHooks, device, "resolved")).isNotNull());
  }

  @Test
  @Order(4)
  void webhookUrlsNeverShowInClear() {
    JsonArray receivers = Api.expect(admin.get("/v2/alert-receivers"), 200).getJsonArray("items");
    assertThat(receivers).hasSize(2);
    assertThat(receivers.encode()).doesNotContain(TOKEN).doesNotContain("url_sealed");
    JsonObject one = receivers.getJsonObject(0);
    assertThat(one.getString("url_host")).isEqualTo("127.0.0.1");
    assertThat(Api.expect(admin.get("/v2/alert-receivers/" + one.getString("id")), 200).encode()).doesNotContain(TOKEN);

    HazelcastInstance hazelcast = Hazelcast.getAllHazelcastInstances().stream()
        .filter(h -> h.getCluster().getLocalMember().getAddress().getPort() == nodes.clusterPort(1)).findFirst().orElseThrow();
    assertThat(hazelcast.<String, String>getMap("gantry.alert-receivers").values()).hasSize(2)
        .allSatisfy(raw -> assertThat(raw).doesNotContain(TOKEN).contains("\"url_sealed\":\"v1."));
    assertThat(hazelcast.<String, String>getMap("gantry.alert-outbox").values()).allSatisfy(raw -> assertThat(raw)
        .doesNotContain(TOKEN));
  }

  @Test
  @Order(5)
  void badRulesAndReceiversAreRefusedNamingTheField() {
    assertRefused(admin.post("/v2/alert-rules", new JsonObject().put("kind", "device_temperature")), 400, "threshold");
    assertRefused(admin.post("/v2/alert-rules", new JsonObject().put("kind", "model_error_rate").put("threshold", 5)), 400,
        "threshold");
    assertRefused(admin.post("/v2/alert-rules", new JsonObject().put("kind", "device_vanished").put("model", "chat")), 400,
        "model");
    assertRefused(admin.post("/v2/alert-rules", new JsonObject().put("kind", "replica_error").put("for_seconds", -1)), 400,
        "for_seconds");
    assertRefused(admin.post("/v2/alert-rules", new JsonObject().put("kind", "nope")), 400, "kind");
    assertRefused(admin.patch("/v2/alert-rules/replica-error", new JsonObject().put("kind", "node_unreachable")), 400, "kind");
    assertRefused(admin.delete("/v2/alert-rules/replica-error"), 409, "PATCH");
    assertRefused(admin.post("/v2/alert-receivers", new JsonObject().put("name", "x").put("url", "file:///etc/passwd")), 400,
        "url");

    JsonObject created = Api.expect(admin.post("/v2/alert-rules", new JsonObject().put("kind", "device_temperature")
        .put("threshold", 80).put("severity", "info").put("node", nodes.name(1)).put("enabled", false)), 201);
    assertThat(created.getBoolean("builtin")).isFalse();
    assertThat(created.getString("node")).isEqualTo(nodes.name(1));
    JsonObject everywhere = Api.expect(admin.patch("/v2/alert-rules/" + created.getString("id"),
        new JsonObject().putNull("node").put("threshold", 85)), 200);
    assertThat(everywhere.containsKey("node")).as("null removes the selector").isFalse();
    assertThat(everywhere.getDouble("threshold")).isEqualTo(85.0);
    assertThat(admin.delete("/v2/alert-rules/" + created.getString("id")).status()).isEqualTo(204);
    assertThat(admin.get("/v2/alert-rules/" + created.getString("id")).status()).isEqualTo(404);
  }

  @Test
  @Order(6)
  void theShippedPrometheusRulesNameSeriesANodeExports() throws Exception {
    String name = "idle-" + System.nanoTime() % 100_000;
    Path file = Files.writeString(dir.resolve(name + ".model"), "not a model");
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", name).put("backend", "custom")
        .put("run_command", "sleep 600").put("local_path", file.toString()).put("replicas", 1)
        .put("estimate_override_bytes", 1L << 20)), 201);
    assertThat(admin.post("/v1/chat/completions", new JsonObject().put("model", "no-such-model")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")))).status())
        .isEqualTo(404);
    Set<String> used = new TreeSet<>();
    Matcher names = Pattern.compile("gantry_[a-z0-9_]+").matcher(Files.readString(Path.of("conf/prometheus/alerts.yml")));
    while (names.find()) {
      used.add(names.group());
    }
    assertThat(used).contains("gantry_node_replicas", "gantry_device_temperature_celsius", "gantry_gateway_requests_total",
        "gantry_gateway_ttft_seconds_bucket", "gantry_alert_deliveries_total");

    used.removeAll(Set.of("gantry_device_ecc_errors", "gantry_device_healthy")); // need tools that report them: DeviceHealthAlertsTest
    Eventually.await(WAIT, () -> {
      Api.Response scrape = admin.get("/metrics");
      assertThat(scrape.status()).isEqualTo(200);
      List<String> scraped = scrape.body().lines().toList();
      for (String series : used) {
        assertThat(scraped).as(series).anyMatch(line -> line.startsWith(series + "{") || line.startsWith(series + " "));
      }
    });
  }

  private static void assertRefused(Api.Response response, int status, String field) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.json().getString("message")).contains(field);
  }

  /** The first webhook body in {@code status} for an alert whose id contains {@code subject} or of model {@code subject}; null if none yet. */
  private static JsonObject hook(Queue<JsonObject> hooks, String subject, String status) {
    return hooks.stream().filter(h -> status.equals(h.getString("status"))
        && (h.getJsonObject("alert").getString("id").contains(subject)
            || subject.equals(h.getJsonObject("alert").getJsonObject("labels").getString("model")))).findFirst().orElse(null);
  }

  private static void temperature(int celsius) throws Exception {
    Files.writeString(nvidiaCsv, CSV_HEADER + "0, NVIDIA L40S, GPU-0b1c2d3e-0000-1111-2222-333344445555, 46068, 1024, 12, "
        + celsius + ", 81.50, 550.90.07, 00000000:17:00.0, 8.9\n");
  }
}
