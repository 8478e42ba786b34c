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
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One in-JVM node on a fake machine (a fake sysfs tree with an NVIDIA card pair and an AMD GPU, fake
 * {@code nvidia-smi} and {@code rocm-smi} printing the suite's samples): its devices show in
 * {@code /v2/gpu-devices} and in its node record, with the fields the tools printed, beside its CPU.
 */
class NodeDevicesTest {

  private static final long MIB = 1L << 20;
  private static TestNodes nodes;
  private static Path dir;

  @BeforeAll
  static void start() {
    dir = TestFiles.tempDir("gantry-devices-");
    FakeAccelerators fake = new FakeAccelerators(dir)
        .pci("0000:17:00.0", 0x10de, 0x030200).pci("0000:65:00.0", 0x10de, 0x030200)
        .pci("0000:c5:00.0", 0x1002, 0x030000)
        .toolPrinting("nvidia-smi", "nvidia-smi-query-gpu-2x-l40s.csv")
        .toolPrinting("rocm-smi", "rocm-smi-json-mi210.json");
    System.setProperty(AcceleratorDetector.SYSFS_PROPERTY, fake.sysfs().toString());
    System.setProperty(AcceleratorDetector.TOOLS_PROPERTY, fake.tools().toString());
    try {
      nodes = TestNodes.start(1);
    } finally {
      System.clearProperty(AcceleratorDetector.SYSFS_PROPERTY);
      System.clearProperty(AcceleratorDetector.TOOLS_PROPERTY);
    }
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
    TestFiles.deleteRecursively(dir);
  }

  @Test
  void gpuDevicesListsTheNvidiaAndAmdDevicesWithTheirFields() {
    Api admin = nodes.admin(1);
    String node = nodes.name(1);

    Eventually.await(Duration.ofSeconds(30), () -> assertThat(ids(devices(admin))).containsExactlyInAnyOrder(
        node + ":cpu:0", node + ":cuda:0", node + ":cuda:1", node + ":rocm:0"));
    JsonArray items = devices(admin);

    JsonObject l40s = find(items, node + ":cuda:0");
    assertThat(l40s.getString("vendor")).isEqualTo("nvidia");
    assertThat(l40s.getString("type")).isEqualTo("cuda");
    assertThat(l40s.getString("name")).isEqualTo("NVIDIA L40S");
    assertThat(l40s.getLong("memory_total")).isEqualTo(46068 * MIB);
    assertThat(l40s.getLong("memory_used")).isEqualTo(1024 * MIB);
    assertThat(l40s.getString("architecture")).isEqualTo("8.9");
    assertThat(l40s.getString("driver_version")).isEqualTo("550.90.07");
    assertThat(l40s.getString("bus_id")).isEqualTo("00000000:17:00.0");
    assertThat(l40s.getString("node_name")).isEqualTo(node);
    JsonObject mi210 = find(items, node + ":rocm:0");
    assertThat(mi210.getString("vendor")).isEqualTo("amd");
    assertThat(mi210.getString("name")).isEqualTo("AMD Instinct MI210");
    assertThat(mi210.getLong("memory_total")).isEqualTo(68702699520L);
    assertThat(mi210.getString("architecture")).isEqualTo("gfx90a");
    assertThat(mi210.getInteger("temperature")).isEqualTo(38);

    JsonObject record = Api.expect(admin.get("/v2/nodes/" + node), 200);
    assertThat(ids(record.getJsonArray("devices")))
        .contains(node + ":cuda:1", node + ":rocm:0");
  }

  private static JsonArray devices(Api admin) {
    return Api.expect(admin.get("/v2/gpu-devices?limit=100"), 200).getJsonArray("items");
  }

  private static List<String> ids(JsonArray devices) {
    return devices.stream().map(d -> ((JsonObject) d).getString("id")).collect(Collectors.toList());
  }

  private static JsonObject find(JsonArray devices, String id) {
    return devices.stream().map(JsonObject.class::cast).filter(d -> id.equals(d.getString("id"))).findFirst().orElseThrow();
  }
}
