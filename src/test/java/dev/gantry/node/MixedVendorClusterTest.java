package dev.gantry.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.node.device.AcceleratorDetector;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.FakeAccelerators;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import dev.gantry.testmodels.TestModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two in-JVM nodes on fake machines: node 1 with two NVIDIA GPUs and an AMD GPU, node 2 with two Ascend
 * chips. A model pinned to Ascend lands on node 2 and its engine gets {@code ASCEND_RT_VISIBLE_DEVICES};
 * one pinned to AMD lands on node 1's AMD GPU and gets {@code HIP_VISIBLE_DEVICES}.
 */
class MixedVendorClusterTest {

  private static TestNodes nodes;
  private static Path dir;
  private static Path model;

  @BeforeAll
  static void start() throws Exception {
    dir = TestFiles.tempDir("gantry-mixed-");
    model = TestModels.deterministic(dir.resolve("deterministic.gguf"));
    FakeAccelerators gpus = new FakeAccelerators(dir.resolve("gpus"))
        .pci("0000:17:00.0", 0x10de, 0x030200).pci("0000:65:00.0", 0x10de, 0x030200)
        .pci("0000:c5:00.0", 0x1002, 0x030000)
        .toolPrinting("nvidia-smi", "nvidia-smi-query-gpu-2x-l40s.csv")
        .toolPrinting("rocm-smi", "rocm-smi-json-mi210.json");
    FakeAccelerators npus = new FakeAccelerators(dir.resolve("npus"))
        .pci("0000:c1:00.0", 0x19e5, 0x120000).pci("0000:01:00.0", 0x19e5, 0x120000)
        .toolPrinting("npu-smi", "npu-smi-info-2x-910b3.txt");
    try {
      pointAt(gpus);
      nodes = TestNodes.start(2);
      nodes.stopNode(2);
      pointAt(npus);
      nodes.startNode(2);
    } finally {
      System.clearProperty(AcceleratorDetector.SYSFS_PROPERTY);
      System.clearProperty(AcceleratorDetector.TOOLS_PROPERTY);
    }
  }

  private static void pointAt(FakeAccelerators fake) {
    System.setProperty(AcceleratorDetector.SYSFS_PROPERTY, fake.sysfs().toString());
    System.setProperty(AcceleratorDetector.TOOLS_PROPERTY, fake.tools().toString());
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
    TestFiles.deleteRecursively(dir);
  }

  @Test
  void pinnedModelsLandOnTheirVendorAndTheirEnginesSeeOnlyTheirDevices() {
    Api admin = nodes.admin(1);
    String n1 = nodes.name(1);
    String n2 = nodes.name(2);
    Eventually.await(Duration.ofSeconds(30), () -> assertThat(deviceIds(admin)).contains(
        n1 + ":cuda:0", n1 + ":cuda:1", n1 + ":rocm:0", n2 + ":cann:0", n2 + ":cann:1"));

    Path ascendEnv = dir.resolve("ascend.env");
    Path amdEnv = dir.resolve("amd.env");
    Api.expect(admin.post("/v2/models", pinned("on-ascend", "ascend", ascendEnv)), 201);
    Api.expect(admin.post("/v2/models", pinned("on-amd", "amd", amdEnv)), 201);

    Eventually.await(Duration.ofSeconds(60), () -> {
      assertThat(Files.exists(ascendEnv)).as("the Ascend engine started").isTrue();
      assertThat(Files.exists(amdEnv)).as("the AMD engine started").isTrue();
    });
    JsonObject ascend = instance(admin, "on-ascend");
    assertThat(ascend.getString("node_name")).isEqualTo(n2);
    List<Object> ascendDevices = ascend.getJsonArray("device_ids").getList();
    assertThat(ascendDevices).hasSize(1).allMatch(id -> id.toString().startsWith(n2 + ":cann:"));
    String chip = ascendDevices.get(0).toString().substring((n2 + ":cann:").length());
    Eventually.await(Duration.ofSeconds(10), () -> assertThat(env(ascendEnv))
        .contains("ASCEND_RT_VISIBLE_DEVICES=" + chip).doesNotContain("HIP_VISIBLE_DEVICES="));

    JsonObject amd = instance(admin, "on-amd");
    assertThat(amd.getString("node_name")).isEqualTo(n1);
    assertThat(amd.getJsonArray("device_ids").getList()).containsExactly(n1 + ":rocm:0");
    Eventually.await(Duration.ofSeconds(10), () -> assertThat(env(amdEnv))
        .contains("HIP_VISIBLE_DEVICES=0").doesNotContain("ASCEND_RT_VISIBLE_DEVICES="));
  }

  private static JsonObject pinned(String name, String vendor, Path envFile) {
    return new JsonObject().put("name", name).put("backend", "custom").put("local_path", model.toString())
        .put("run_command", "sh -c 'env > " + envFile + ".tmp && mv " + envFile + ".tmp " + envFile + "; exec sleep 120'")
        .put("devices_per_replica", 1).put("device_vendor", vendor).put("estimate_override_bytes", 1L << 30);
  }

  private static List<String> deviceIds(Api admin) {
    JsonArray items = Api.expect(admin.get("/v2/gpu-devices?limit=100"), 200).getJsonArray("items");
    return items.stream().map(d -> ((JsonObject) d).getString("id")).toList();
  }

  private static JsonObject instance(Api admin, String model) {
    JsonArray items = Api.expect(admin.get("/v2/model-instances?model_name=" + model), 200).getJsonArray("items");
    assertThat(items).hasSize(1);
    return items.getJsonObject(0);
  }

  private static String env(Path file) throws Exception {
    return Files.readString(file);
  }
}
