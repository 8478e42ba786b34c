package dev.gantry.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.node.device.AcceleratorDetector;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.FakeAccelerators;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two in-JVM nodes, both on the same fake hot device: while the first (oldest) node leads, both devices'
 * alerts fire once; the leader crashes, the second node takes over from the alerts in the cluster map —
 * it fires "node unreachable" for the old leader and does not deliver its own device's alert a second time.
 */
class AlertLeaderChangeTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static TestNodes nodes;
  private static Path dir;
  private static Vertx vertx;
  private static final Queue<JsonObject> hooks = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void start() throws Exception {
    dir = TestFiles.tempDir("gantry-alert-leader-");
    Path csv = Files.writeString(dir.resolve("nvidia.csv"), "index, name, uuid, memory.total [MiB], memory.used [MiB], "
        + "utilization.gpu [%], temperature.gpu, power.draw [W], driver_version, pci.bus_id, compute_cap\n"
        + "0, NVIDIA L40S, GPU-0b1c2d3e-0000-1111-2222-333344445555, 46068, 1024, 12, 97, 81.50, 550.90.07, 00000000:17:00.0, 8.9\n");
    FakeAccelerators fake = new FakeAccelerators(dir).pci("0000:17:00.0", 0x10de, 0x030200)
        .tool("nvidia-smi", "cat '" + csv + "'");
    vertx = Vertx.vertx();
    HttpServer receiver = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      hooks.add(body.toJsonObject());
      request.response().setStatusCode(200).end();
    })).listen(0, "127.0.0.1").await();
    System.setProperty(AcceleratorDetector.SYSFS_PROPERTY, fake.sysfs().toString());
    System.setProperty(AcceleratorDetector.TOOLS_PROPERTY, fake.tools().toString());
    try {
      nodes = TestNodes.start(2);
    } finally {
      System.clearProperty(AcceleratorDetector.SYSFS_PROPERTY);
      System.clearProperty(AcceleratorDetector.TOOLS_PROPERTY);
    }
    Api admin = nodes.admin(2);
    Api.expect(admin.post("/v2/alert-receivers", new JsonObject().put("name", "leader-test")
        .put("url", "http://127.0.0.1:" + receiver.actualPort() + "/hook")), 201);
    Api.expect(admin.patch("/v2/alert-rules/device-temperature", new JsonObject().put("for_seconds", 1)), 200);
    Api.expect(admin.patch("/v2/alert-rules/node-unreachable", new JsonObject().put("for_seconds", 2)), 200);
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
  void aNewLeaderContinuesFromTheAlertsInTheClusterWithoutDeliveringThemAgain() {
    String survivor = nodes.name(2) + ":cuda:0";
    Eventually.await(WAIT, () -> {
      assertThat(firings(nodes.name(1) + ":cuda:0")).isEqualTo(1);
      assertThat(firings(survivor)).isEqualTo(1);
    });

    nodes.crashNode(1);

    Eventually.await(WAIT, () -> assertThat(hooks).anySatisfy(h -> {
      assertThat(h.getString("status")).isEqualTo("firing");
      assertThat(h.getJsonObject("alert").getString("id")).isEqualTo("node-unreachable/" + nodes.name(1));
    }));
    JsonObject listed = Api.expect(nodes.admin(2).get("/v2/alerts?state=firing"), 200);
    assertThat(listed.getJsonArray("items").stream().map(JsonObject.class::cast).map(a -> a.getString("id")))
        .contains("device-temperature/" + survivor, "node-unreachable/" + nodes.name(1));
    assertThat(firings(survivor)).as("already delivered by the old leader").isEqualTo(1);
  }

  private static long firings(String subject) {
    return hooks.stream().filter(h -> "firing".equals(h.getString("status"))
        && h.getJsonObject("alert").getString("id").endsWith("/" + subject)).count();
  }
}
