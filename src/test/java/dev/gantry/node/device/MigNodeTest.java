package dev.gantry.node.device;

import static org.assertj.core.api.Assertions.assertThat;

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
 * An in-JVM node whose fake {@code nvidia-smi} shows an H100 in MIG mode (the captured {@code -L}): the
 * node lists the MIG device in {@code /v2/gpu-devices} and not the partitioned GPU, and an engine placed on
 * the MIG device gets its MIG UUID in {@code CUDA_VISIBLE_DEVICES}.
 */
class MigNodeTest {

  private static final String MIG_UUID = "MIG-b3061c09-2a4c-5026-a575-79f86a5bb12c";
  private static TestNodes nodes;
  private static Path dir;
  private static Path model;

  @BeforeAll
  static void start() throws Exception {
    Path listing = SharedAcceleratorFixtures.dir().resolve("nvidia/nvidia-smi-L-h100-80gb-hbm3-mig.txt").toAbsolutePath();
    dir = TestFiles.tempDir("gantry-mig-");
    model = TestModels.deterministic(dir.resolve("deterministic.gguf"));
    Path query = dir.resolve("query.csv");
    Files.writeString(query, "index, name, uuid, memory.total [MiB], memory.used [MiB], pci.bus_id, mig.mode.current\n"
        + "0, NVIDIA H100 80GB HBM3, GPU-950792bf-a01c-3f1a-e122-3473e67f54b2, 81559, 3703, 00000000:00:09.0, Enabled\n");
    FakeAccelerators fake = new FakeAccelerators(dir.resolve("machine")).pci("0000:00:09.0", 0x10de, 0x030200)
        .tool("nvidia-smi", "case \"$1\" in --query-gpu=*) cat '" + query + "';; -L) cat '" + listing + "';;"
            + " *) exit 9;; esac");
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
  void theMigDeviceIsListedAndItsEngineSeesItsUuid() {
    Api admin = nodes.admin(1);
    String node = nodes.name(1);
    String mig = node + ":cuda:100";
    Eventually.await(Duration.ofSeconds(30), () -> assertThat(devices(admin)).extracting(d -> d.getString("id"))
        .as("the partitioned GPU is not offered").containsExactlyInAnyOrder(node + ":cpu:0", mig));
    JsonObject device = devices(admin).stream().filter(d -> d.getString("id").equals(mig)).findFirst().orElseThrow();
    assertThat(device.getString("uuid")).isEqualTo(MIG_UUID);
    assertThat(device.getString("partition")).isEqualTo("3g.40gb");
    assertThat(device.getLong("memory_total")).isEqualTo(40_000_000_000L);

    Path envFile = dir.resolve("engine.env");
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", "on-mig").put("backend", "custom")
        .put("local_path", model.toString())
        .put("run_command", "sh -c 'env > " + envFile + ".tmp && mv " + envFile + ".tmp " + envFile + "; exec sleep 120'")
        .put("device_ids", new JsonArray().add(mig)).put("estimate_override_bytes", 1L << 30)), 201);

    Eventually.await(Duration.ofSeconds(60), () -> assertThat(envFile).exists());
    Eventually.await(Duration.ofSeconds(10), () -> assertThat(Files.readString(envFile))
        .contains("CUDA_VISIBLE_DEVICES=" + MIG_UUID + "\n"));
  }

  private static List<JsonObject> devices(Api admin) {
    JsonArray items = Api.expect(admin.get("/v2/gpu-devices?limit=100"), 200).getJsonArray("items");
    return items.stream().map(d -> (JsonObject) d).toList();
  }
}
