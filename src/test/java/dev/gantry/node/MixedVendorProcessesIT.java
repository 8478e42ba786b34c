package dev.gantry.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.backend.StandInEngine;
import dev.gantry.node.device.AcceleratorDetector;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.FakeAccelerators;
import dev.gantry.testing.ProcessCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three real node processes on fake machines (a sysfs tree and vendor tools printing captured outputs,
 * given to each node's JVM as {@code gantry.sysfs} / {@code gantry.device.tools}): node 1 has two NVIDIA
 * L40S and an AMD MI210, node 2 two Ascend 910B3 chips, node 3 no accelerator. Nodes 1 and 2 have a
 * stand-in vLLM 0.12.0 in their engines folder. The in-JVM counterpart is {@link MixedVendorClusterTest}.
 */
@DisplayName("Mixed-vendor devices across three real node processes")
class MixedVendorProcessesIT {

  private static final int NODES = 3;
  private static final String PASSWORD = "mixed-Admin-pw-11";
  private static final long MIB = 1L << 20;

  private static Path engines;
  private static Path weights;
  private static FakeAccelerators[] machines;

  @RegisterExtension
  static final ProcessCluster cluster = ProcessCluster.of("mixed", NODES, PASSWORD).withEnginePorts(47000)
      .withArgs(i -> i != 3 ? List.of("--engines-dir", engines.toString()) : List.of())
      .withJvmOptions(i -> List.of("-D" + AcceleratorDetector.SYSFS_PROPERTY + "=" + machines[i].sysfs(),
          "-D" + AcceleratorDetector.TOOLS_PROPERTY + "=" + machines[i].tools()));
  private static Api admin;

  @BeforeAll
  static void startCluster() throws Exception {
    Path workDir = cluster.workDir();
    engines = workDir.resolve("engines");
    StandInEngine.installForProcesses(engines, "vllm", "0.12.0");
    weights = Files.createDirectories(workDir.resolve("weights/qwen-ascend"));
    Files.writeString(weights.resolve("config.json"), "{}");
    machines = new FakeAccelerators[] {null,
        new FakeAccelerators(workDir.resolve("gpus"))
            .pci("0000:17:00.0", 0x10de, 0x030200).pci("0000:65:00.0", 0x10de, 0x030200)
            .pci("0000:c5:00.0", 0x1002, 0x030000)
            .toolPrinting("nvidia-smi", "nvidia-smi-query-gpu-2x-l40s.csv")
            .toolPrinting("rocm-smi", "rocm-smi-json-mi210.json"),
        new FakeAccelerators(workDir.resolve("npus"))
            .pci("0000:c1:00.0", 0x19e5, 0x120000).pci("0000:01:00.0", 0x19e5, 0x120000)
            .toolPrinting("npu-smi", "npu-smi-info-2x-910b3.txt"),
        new FakeAccelerators(workDir.resolve("cpu-only"))};
    cluster.start(Duration.ofSeconds(180));
    admin = cluster.admin(1);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  private static String name(int i) {
    return cluster.name(i);
  }

  private static String url(int i) {
    return cluster.url(i);
  }

  private static Map<String, JsonObject> devices(Api api) {
    JsonArray items = Api.expect(api.get("/v2/gpu-devices?limit=100"), 200).getJsonArray("items");
    Map<String, JsonObject> byId = new HashMap<>();
    items.forEach(d -> byId.put(((JsonObject) d).getString("id"), (JsonObject) d));
    return byId;
  }

  @Test
  @DisplayName("every node's devices appear in /v2/gpu-devices, read from its own fake tools, with their fields")
  void eachNodesDevicesAppearWithTheirFields() {
    String n1 = name(1);
    String n2 = name(2);
    String n3 = name(3);
    Eventually.await(Duration.ofSeconds(60), () -> assertThat(devices(admin.on(url(3))).keySet()).contains(
        n1 + ":cuda:0", n1 + ":cuda:1", n1 + ":rocm:0", n2 + ":cann:0", n2 + ":cann:1", n3 + ":cpu:0"));
    Map<String, JsonObject> devices = devices(admin.on(url(2)));
    assertThat(devices.keySet().stream().filter(id -> id.startsWith(n3 + ":")))
        .as("node 3 has only its CPU").containsExactly(n3 + ":cpu:0");
    assertThat(devices.keySet().stream().filter(id -> id.startsWith(n2 + ":") && !id.contains(":cpu:")))
        .as("node 2 has its two chips and nothing of node 1's").containsExactlyInAnyOrder(n2 + ":cann:0", n2 + ":cann:1");

    JsonObject l40s = devices.get(n1 + ":cuda:0");
    assertThat(l40s.getString("vendor")).isEqualTo("nvidia");
    assertThat(l40s.getString("type")).isEqualTo("cuda");
    assertThat(l40s.getInteger("index")).isZero();
    assertThat(l40s.getString("name")).isEqualTo("NVIDIA L40S");
    assertThat(l40s.getString("uuid")).isEqualTo("GPU-0b1c2d3e-0000-1111-2222-333344445555");
    assertThat(l40s.getLong("memory_total")).isEqualTo(46068 * MIB);
    assertThat(l40s.getString("driver_version")).isEqualTo("550.90.07");
    assertThat(l40s.getString("architecture")).isEqualTo("8.9");
    assertThat(devices.get(n1 + ":cuda:1").getValue("power")).as("[N/A] is null, never 0").isNull();

    JsonObject mi210 = devices.get(n1 + ":rocm:0");
    assertThat(mi210.getString("vendor")).isEqualTo("amd");
    assertThat(mi210.getString("name")).isEqualTo("AMD Instinct MI210");
    assertThat(mi210.getLong("memory_total")).isEqualTo(68702699520L);
    assertThat(mi210.getString("architecture")).isEqualTo("gfx90a");
    assertThat(mi210.getString("driver_version")).isEqualTo("6.8.5");

    JsonObject chip1 = devices.get(n2 + ":cann:1");
    assertThat(chip1.getString("vendor")).isEqualTo("ascend");
    assertThat(chip1.getInteger("index")).isEqualTo(1);
    assertThat(chip1.getString("name")).isEqualTo("910B3");
    assertThat(chip1.getLong("memory_total")).isEqualTo(65536 * MIB);
    assertThat(chip1.getString("driver_version")).isEqualTo("24.1.rc2");
    assertThat(chip1.getString("health")).isEqualTo("Warning");
    assertThat(chip1.getString("bus_id")).isEqualTo("0000:01:00.0");
    assertThat(devices.get(n2 + ":cann:0").getString("health")).isEqualTo("OK");
  }

  @Test
  @DisplayName("a vllm model on Ascend lands on the Ascend node, and its engine process gets ASCEND_RT_VISIBLE_DEVICES "
      + "for its chip; one asking more chips than any node has stays pending")
  void aVllmModelOnAscendLandsOnlyWhereItCanRunAndSeesItsChip() throws Exception {
    String n2 = name(2);
    Eventually.await(Duration.ofSeconds(60), () -> assertThat(devices(admin).keySet()).contains(n2 + ":cann:0", n2 + ":cann:1"));
    Api.expect(admin.post("/v2/models", vllmOnAscend("vllm-ascend", 1)), 201);
    Api.expect(admin.post("/v2/models", vllmOnAscend("vllm-ascend-x3", 3)), 201);

    Eventually.await(Duration.ofSeconds(120), () -> {
      JsonObject i = instance("vllm-ascend");
      assertThat(i.getString("state")).as("%s", i).isEqualTo("running");
    });
    JsonObject running = instance("vllm-ascend");
    assertThat(running.getString("node_name")).isEqualTo(n2);
    List<Object> chips = running.getJsonArray("device_ids").getList();
    assertThat(chips).hasSize(1).allMatch(id -> id.toString().startsWith(n2 + ":cann:"));
    String chip = chips.get(0).toString().substring((n2 + ":cann:").length());

    Map<String, String> env = engineEnvironment(running.getLong("pid"));
    assertThat(env).containsEntry("ASCEND_RT_VISIBLE_DEVICES", chip)
        .doesNotContainKeys("HIP_VISIBLE_DEVICES", "CUDA_VISIBLE_DEVICES");

    Eventually.await(Duration.ofSeconds(60), () -> {
      JsonObject i = instance("vllm-ascend-x3");
      assertThat(i.getString("state")).as("%s", i).isEqualTo("pending");
      assertThat(i.getString("state_message")).as("%s", i).contains(
          name(1) + " has no ascend device (the model's device_vendor; it has amd, nvidia)",
          name(2) + " has 2 devices, needs 3", name(3) + " cannot start a vllm@0.12.0 engine");
    });
    assertThat(instance("vllm-ascend-x3").getString("node_name")).as("placed nowhere").isNull();
  }

  private static JsonObject vllmOnAscend(String name, int chips) {
    return new JsonObject().put("name", name).put("backend", "vllm").put("backend_version", "0.12.0")
        .put("local_path", weights.toString()).put("devices_per_replica", chips).put("device_vendor", "ascend")
        .put("estimate_override_bytes", 1L << 30);
  }

  private static JsonObject instance(String model) {
    JsonArray items = Api.expect(admin.get("/v2/model-instances?model_name=" + model), 200).getJsonArray("items");
    assertThat(items).hasSize(1);
    return items.getJsonObject(0);
  }

  /**
   * The environment of the stand-in engine under the instance's process (Gantry's wrapper shell, whose
   * child runs the engine folder's script), read from {@code /proc}.
   */
  private static Map<String, String> engineEnvironment(long wrapperPid) throws Exception {
    ProcessHandle engine = ProcessHandle.of(wrapperPid).orElseThrow().descendants()
        .filter(p -> cmdline(p.pid()).contains("java.args")).findFirst()
        .orElseThrow(() -> new AssertionError("no engine process under " + wrapperPid));
    Map<String, String> env = new HashMap<>();
    for (String entry : new String(Files.readAllBytes(Path.of("/proc", String.valueOf(engine.pid()), "environ")),
        StandardCharsets.UTF_8).split("\0")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return env;
  }

  private static String cmdline(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
