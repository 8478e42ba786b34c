package dev.gantry.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.node.device.AcceleratorDetector;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.FakeAccelerators;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One in-JVM node on a fake machine (two NVIDIA L40S, one AMD MI210): its readings show in {@code /metrics}
 * as per-device gauges, a device that goes away leaves no series behind, and the node keeps a history of
 * them that {@code /v2/metrics/nodes/{name}} serves and that survives a restart.
 */
class NodeMetricsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String AMD_ADDRESS = "0000:c5:00.0";
  private static TestNodes nodes;
  private static FakeAccelerators fake;
  private static Path dir;

  @BeforeAll
  static void start() throws Exception {
    dir = TestFiles.tempDir("gantry-node-metrics-");
    fake = new FakeAccelerators(dir)
        .pci("0000:17:00.0", 0x10de, 0x030200).pci("0000:65:00.0", 0x10de, 0x030200)
        .pci(AMD_ADDRESS, 0x1002, 0x030000)
        .toolPrinting("nvidia-smi", "nvidia-smi-query-gpu-2x-l40s.csv")
        .toolPrinting("rocm-smi", "rocm-smi-json-mi210.json");
    withFakeDevices(() -> nodes = TestNodes.start(1));
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
    TestFiles.deleteRecursively(dir);
  }

  @Test
  void devicesAndTheNodeAreExportedAsGaugesWithTheirTags() {
    String node = nodes.name(1);
    String l40s = "{device=\"" + node + ":cuda:0\",index=\"0\",name=\"NVIDIA L40S\",node=\"" + node + "\",vendor=\"nvidia\"}";

    Eventually.await(WAIT, () -> assertThat(metrics()).contains("gantry_device_memory_used_bytes" + l40s + " 1.073741824E9"));
    List<String> lines = metrics();
    assertThat(lines).anyMatch(l -> l.startsWith("gantry_device_memory_total_bytes" + l40s + " 4.8305799168E10"));
    assertThat(value(lines, "gantry_device_utilization_ratio" + l40s)).isBetween(0.0, 1.0);
    assertThat(lines).anyMatch(l -> l.startsWith("gantry_device_temperature_celsius" + l40s + " "));
    assertThat(lines).anyMatch(l -> l.startsWith("gantry_device_power_watts" + l40s + " "));
    assertThat(lines).anyMatch(l -> l.startsWith("gantry_device_memory_used_bytes{device=\"" + node + ":cuda:1\""));
    assertThat(value(lines, "gantry_node_cpu_utilization_ratio{node=\"" + node + "\"}")).isBetween(0.0, 1.0);
    assertThat(value(lines, "gantry_node_memory_total_bytes{node=\"" + node + "\"}")).isPositive();
    assertThat(value(lines, "gantry_node_memory_used_bytes{node=\"" + node + "\"}")).isPositive();
  }

  @Test
  void aDeviceThatDisappearsIsNoLongerExported() {
    String amd = "device=\"" + nodes.name(1) + ":rocm:0\"";
    Eventually.await(WAIT, () -> assertThat(metrics()).anyMatch(l -> l.contains(amd)));

    TestFiles.deleteRecursively(fake.sysfs().resolve("bus/pci/devices").resolve(AMD_ADDRESS));

    Eventually.await(WAIT, () -> assertThat(metrics()).noneMatch(l -> l.contains(amd)));
    assertThat(metrics()).anyMatch(l -> l.startsWith("gantry_device_power_watts{device=\"" + nodes.name(1) + ":cuda:0\""));
  }

  @Test
  void theHistoryServesTheNodeAndItsDevicesFromAnyRange() {
    Api admin = nodes.admin(1);
    String node = nodes.name(1);

    Eventually.await(WAIT, () -> assertThat(device(history(admin, "1h"), node + ":cuda:0")).isNotNull());
    JsonObject hour = history(admin, "1h");
    assertThat(hour.getString("node")).isEqualTo(node);
    assertThat(hour.getInteger("step_seconds")).isEqualTo(10);
    assertThat(hour.getJsonArray("cpu")).isNotEmpty().allSatisfy(point -> {
      assertThat(((JsonArray) point).getLong(0)).isLessThanOrEqualTo(System.currentTimeMillis()).isPositive();
      assertThat(((JsonArray) point).getDouble(1)).isBetween(0.0, 1.0);
    });
    assertThat(hour.getJsonArray("memory_used")).isNotEmpty();
    JsonObject l40s = device(hour, node + ":cuda:0");
    assertThat(l40s.getJsonArray("memory_used").getJsonArray(0).getDouble(1)).isEqualTo(1024.0 * (1 << 20));
    assertThat(l40s.getJsonArray("utilization")).isNotEmpty();
    assertThat(l40s.getJsonArray("temperature")).isNotEmpty();
    assertThat(l40s.getJsonArray("power")).isNotEmpty();
    assertThat(history(admin, "24h").getInteger("step_seconds")).isEqualTo(60);
    assertThat(history(admin, "30d").getInteger("step_seconds")).isEqualTo(600);
    assertThat(history(admin, "30d").getJsonArray("cpu")).isNotEmpty();
  }

  @Test
  void badRangesAndUnknownNodesAreRefusedWithAReason() {
    Api admin = nodes.admin(1);

    Api.Response badRange = admin.get("/v2/metrics/nodes/" + nodes.name(1) + "?range=2w");
    assertThat(badRange.status()).isEqualTo(400);
    assertThat(badRange.json().getString("message")).contains("1h, 24h, 30d").contains("2w");
    Api.Response unknown = admin.get("/v2/metrics/nodes/no-such-node");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().getString("message")).contains("no-such-node");
    assertThat(nodes.api(1).get("/v2/metrics/nodes/" + nodes.name(1)).status()).isEqualTo(401);
  }

  @Test
  void samplesSurviveARestartOfTheNode() throws Exception {
    Api admin = nodes.admin(1);
    String node = nodes.name(1);
    Eventually.await(WAIT, () -> assertThat(history(admin, "1h").getJsonArray("cpu")).isNotEmpty());
    long stoppedAt = System.currentTimeMillis();

    nodes.stopNode(1);
    withFakeDevices(() -> nodes.startNode(1));

    JsonObject after = history(nodes.admin(1), "1h");
    assertThat(after.getJsonArray("cpu")).anySatisfy(p -> assertThat(((JsonArray) p).getLong(0)).isLessThan(stoppedAt));
    assertThat(device(after, node + ":cuda:0").getJsonArray("memory_used"))
        .anySatisfy(p -> assertThat(((JsonArray) p).getLong(0)).isLessThan(stoppedAt));
  }

  private static JsonObject history(Api api, String range) {
    return Api.expect(api.get("/v2/metrics/nodes/" + nodes.name(1) + "?range=" + range), 200);
  }

  private static JsonObject device(JsonObject history, String id) {
    return history.getJsonArray("devices").stream().map(JsonObject.class::cast)
        .filter(d -> id.equals(d.getString("id"))).findFirst().orElse(null);
  }

  private static List<String> metrics() {
    Api.Response response = nodes.admin(1).get("/metrics");
    assertThat(response.status()).isEqualTo(200);
    return response.body().lines().toList();
  }

  private static double value(List<String> lines, String series) {
    return lines.stream().filter(l -> l.startsWith(series + " ")).findFirst()
        .map(l -> Double.parseDouble(l.substring(series.length() + 1))).orElseThrow(() -> new AssertionError("no " + series));
  }

  private interface Start {
    void run() throws Exception;
  }

  private static void withFakeDevices(Start start) throws Exception {
    System.setProperty(AcceleratorDetector.SYSFS_PROPERTY, fake.sysfs().toString());
    System.setProperty(AcceleratorDetector.TOOLS_PROPERTY, fake.tools().toString());
    try {
      start.run();
    } finally {
      System.clearProperty(AcceleratorDetector.SYSFS_PROPERTY);
      System.clearProperty(AcceleratorDetector.TOOLS_PROPERTY);
    }
  }
}
