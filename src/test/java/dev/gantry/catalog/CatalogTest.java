package dev.gantry.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.api.RequestValidator;
import dev.gantry.cluster.NodeRecord;
import dev.gantry.cluster.NodeState;
import dev.gantry.model.ModelSpecs;
import dev.gantry.testing.TestFiles;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The model catalog: specs filtered by each node's hardware and engines, best first")
class CatalogTest {

  private static final long GIB = 1L << 30;
  private static final Catalog.Loaded SHIPPED = new Catalog(null).load();

  @Test
  @DisplayName("a CPU-only cluster sees the CPU specs only, the bundled demo model among them")
  void cpuOnlyClusterSeesCpuSpecs() {
    JsonObject catalog = Catalog.forCluster(SHIPPED, List.of(node("cpu1", 32, List.of(), List.of("builtin", "llama.cpp", "custom"), null)), false);

    assertThat(specs(catalog)).allSatisfy(spec -> assertThat(spec.getJsonObject("hardware").getString("vendor")).isEqualTo("cpu"));
    assertThat(ids(catalog)).contains("tiny-chat-cpu", "minilm-cpu", "qwen2.5-0.5b-llamacpp-cpu", "qwen3-8b-llamacpp-cpu")
        .doesNotContain("qwen3-8b-vllm-nvidia");
    assertThat(family(catalog, "gantry-tiny-chat").getJsonArray("specs").getJsonObject(0).getJsonArray("nodes")).containsExactly("cpu1");
  }

  @Test
  @DisplayName("a small machine misses the specs that need more memory, with the reason under all=true")
  void memoryTooSmallIsExplained() {
    JsonObject catalog = Catalog.forCluster(SHIPPED, List.of(node("laptop", 8, List.of(), List.of("builtin", "llama.cpp"), null)), true);

    JsonObject big = spec(catalog, "qwen3-8b-llamacpp-cpu");
    assertThat(big.getBoolean("fits")).isFalse();
    assertThat(big.getString("reason")).isEqualTo("needs 16 GiB of memory; laptop has 8");
    assertThat(spec(catalog, "qwen2.5-0.5b-llamacpp-cpu").getBoolean("fits")).isTrue();
    assertThat(spec(catalog, "qwen3-8b-vllm-nvidia").getString("reason")).contains("nvidia device(s) with 24 GiB").contains("laptop has 0");
  }

  @Test
  @DisplayName("GPU specs fit by vendor, memory, compute capability and count; the biggest that fits comes first")
  void gpuSpecsFitByHardwareBestFirst() {
    NodeRecord l40s = node("l40s", 256, List.of(nvidia(0, 48, "8.9")), List.of("builtin", "llama.cpp", "vllm", "sglang"),
        engines("vllm", "0.11.2", "sglang", "0.5.4"));
    NodeRecord h100x4 = node("h100", 1024, List.of(nvidia(0, 80, "9.0"), nvidia(1, 80, "9.0"), nvidia(2, 80, "9.0"), nvidia(3, 80, "9.0")),
        List.of("vllm"), engines("vllm", "0.11.2"));
    NodeRecord t4 = node("t4", 64, List.of(nvidia(0, 16, "7.5")), List.of("vllm"), engines("vllm", "0.11.2"));

    JsonObject catalog = Catalog.forCluster(SHIPPED, List.of(l40s, h100x4, t4), false);

    assertThat(spec(catalog, "qwen2.5-72b-vllm-nvidia-tp4").getJsonArray("nodes")).containsExactly("h100");
    assertThat(spec(catalog, "qwen3-8b-vllm-nvidia").getJsonArray("nodes")).containsExactly("l40s", "h100");
    assertThat(spec(catalog, "qwen3-8b-sglang-nvidia").getJsonArray("nodes")).containsExactly("l40s");
    assertThat(spec(catalog, "qwen2.5-0.5b-vllm-nvidia").getJsonArray("nodes")).containsExactly("l40s", "h100", "t4");
    List<String> qwen3 = family(catalog, "qwen3-8b").getJsonArray("specs").stream().map(s -> ((JsonObject) s).getString("id")).toList();
    assertThat(qwen3.get(0)).isEqualTo("qwen3-8b-vllm-nvidia-throughput");
    assertThat(qwen3).last().isEqualTo("qwen3-8b-llamacpp-cpu");
    List<String> small = family(catalog, "qwen2.5-0.5b-instruct").getJsonArray("specs").stream()
        .map(s -> ((JsonObject) s).getString("id")).toList();
    assertThat(small.get(0)).isEqualTo("qwen2.5-0.5b-vllm-nvidia");
  }

  @Test
  @DisplayName("a spec tuned for a version range needs a node with such a version of the engine")
  void versionRangesAreHonoured() {
    NodeRecord old = node("old", 256, List.of(nvidia(0, 48, "8.9")), List.of("vllm"), engines("vllm", "0.8.4"));

    JsonObject catalog = Catalog.forCluster(SHIPPED, List.of(old), true);

    assertThat(spec(catalog, "qwen3-8b-vllm-nvidia").getString("reason")).isEqualTo("needs vllm >=0.8.5; old has 0.8.4");
    assertThat(spec(catalog, "llama-3.1-8b-vllm-nvidia").getBoolean("fits")).isTrue();
    assertThat(new CatalogSpec("x", "standard", HardwareFilter.from(null), ">=0.8.5 <0.12", new JsonObject(), null).versionFits("0.12.0rc1"))
        .isTrue();
    assertThat(new CatalogSpec("x", "standard", HardwareFilter.from(null), ">=0.8.5 <0.12", new JsonObject(), null).versionFits("0.12.0"))
        .isFalse();
  }

  @Test
  @DisplayName("a measured spec joins its family ahead of curated ones for the same hardware, or makes a family of its own")
  void measuredSpecsJoinTheCatalog() {
    JsonObject measurement = new JsonObject().put("tuning_run", "tune-1").put("figures", new JsonObject().put("sla_met", true));
    CatalogSpec tuned = CatalogSpec.from(new JsonObject().put("id", "measured-cpu").put("hardware", new JsonObject().put("vendor", "cpu"))
        .put("model", new JsonObject().put("source", "builtin").put("builtin_model", "gantry-tiny-chat").put("backend", "builtin")))
        .withMeasured(measurement);
    Catalog.Loaded loaded = SHIPPED.withMeasured(List.of(new PgMeasuredSpecStore.Measured("gantry-tiny-chat", tuned),
        new PgMeasuredSpecStore.Measured("my-own", tuned)));

    JsonObject catalog = Catalog.forCluster(loaded, List.of(node("cpu1", 32, List.of(), List.of("builtin"), null)), false);

    JsonArray tiny = family(catalog, "gantry-tiny-chat").getJsonArray("specs");
    assertThat(tiny.getJsonObject(0).getString("id")).isEqualTo("measured-cpu");
    assertThat(tiny.getJsonObject(0).getString("source")).isEqualTo("measured");
    assertThat(tiny.getJsonObject(0).getJsonObject("figures").getBoolean("sla_met")).isTrue();
    assertThat(tiny.getJsonObject(1).getString("id")).isEqualTo("tiny-chat-cpu");
    assertThat(tiny.getJsonObject(1).containsKey("source")).isFalse();
    assertThat(family(catalog, "my-own").getString("source")).isEqualTo("measured");
    assertThat(catalog.getJsonArray("sources").stream().map(JsonObject.class::cast).filter(s -> "measured".equals(s.getString("source")))
        .findFirst().orElseThrow().getInteger("specs")).isEqualTo(2);
  }

  @Test
  @DisplayName("Ascend and AMD specs find their devices in a mixed cluster; a node not ready is left out")
  void otherVendors() {
    NodeRecord ascend = node("npu", 512, List.of(device("ascend", "Ascend 910B3", 64, null)), List.of("mindie"), null);
    NodeRecord amd = node("mi", 512, List.of(device("amd", "AMD Instinct MI210", 64, "gfx90a")), List.of("vllm"),
        engines("vllm", "0.9.0"));
    NodeRecord down = new NodeRecord("down", "10.0.0.9", 8080, 5701, "m", Map.of(), false, false, NodeState.UNREACHABLE, null, "0",
        Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, ascend.hardware(), List.of("mindie"), null);

    JsonObject catalog = Catalog.forCluster(SHIPPED, List.of(ascend, amd, down), false);

    assertThat(spec(catalog, "qwen3-8b-mindie-ascend-910b").getJsonArray("nodes")).containsExactly("npu");
    assertThat(spec(catalog, "qwen3-8b-vllm-amd").getJsonArray("nodes")).containsExactly("mi");
    assertThat(ids(catalog)).doesNotContain("qwen3-8b-vllm-nvidia");
  }

  @Test
  @DisplayName("an operator's file adds and replaces families; a broken file is reported and changes nothing")
  void operatorFiles() throws Exception {
    Path dir = TestFiles.tempDir("gantry-catalog-");
    try {
      Files.writeString(dir.resolve("10-ours.json"), new JsonObject().put("families", new JsonArray()
          .add(new JsonObject().put("name", "gantry-tiny-chat").put("title", "Our tiny chat").put("specs", new JsonArray()
              .add(new JsonObject().put("id", "ours").put("model", new JsonObject().put("source", "builtin")
                  .put("builtin_model", "gantry-tiny-chat").put("backend", "builtin").put("replicas", 3)))))).encode());
      Files.writeString(dir.resolve("20-broken.json"), "{\"families\": [{\"name\": \"x\", \"specs\": [{\"id\": \"Bad Id\"}]}]}");
      Files.writeString(dir.resolve("30-not-json.json"), "families: []");

      Catalog.Loaded loaded = new Catalog(dir).load();
      JsonObject catalog = Catalog.forCluster(loaded, List.of(node("cpu1", 32, List.of(), List.of("builtin"), null)), false);

      assertThat(family(catalog, "gantry-tiny-chat").getString("title")).isEqualTo("Our tiny chat");
      assertThat(spec(catalog, "ours").getJsonObject("model").getInteger("replicas")).isEqualTo(3);
      assertThat(family(catalog, "all-minilm-l6-v2")).isNotNull();
      List<JsonObject> sources = loaded.sources().stream().map(JsonObject.class::cast).toList();
      assertThat(sources).hasSize(4);
      assertThat(sources.get(1).getInteger("families")).isEqualTo(1);
      assertThat(sources.get(2).getString("error")).contains("spec id must be").contains("Bad Id");
      assertThat(sources.get(3).getString("error")).isNotBlank();
    } finally {
      TestFiles.deleteRecursively(dir);
    }
  }

  @Test
  @DisplayName("every shipped spec, named, is a model the API accepts")
  void everyShippedSpecIsAValidModelBody() throws Exception {
    RequestValidator validator;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("openapi.json")) {
      validator = new RequestValidator(new JsonObject(Buffer.buffer(in.readAllBytes())));
    }
    List<String> checked = new ArrayList<>();
    for (CatalogFamily family : SHIPPED.families()) {
      for (CatalogSpec spec : family.specs()) {
        JsonObject body = spec.model().copy().put("name", family.name());
        validator.check(body.toBuffer(), "ModelCreate");
        ModelSpecs.normalize(body);
        checked.add(spec.id());
      }
    }
    assertThat(SHIPPED.sources().getJsonObject(0).getInteger("families")).isEqualTo(SHIPPED.families().size());
    assertThat(checked).hasSizeGreaterThan(10);
  }

  private static NodeRecord node(String name, long memoryGib, List<JsonObject> devices, List<String> backends, JsonArray engines) {
    NodeRecord.Hardware hardware = new NodeRecord.Hardware(new JsonObject(), new JsonObject(),
        new JsonObject().put("total", memoryGib * GIB).put("used", GIB), new JsonArray(devices));
    return new NodeRecord(name, "10.0.0.1", 8080, 5701, "member-" + name, Map.of(), false, false, NodeState.READY, null, "0.1.0",
        Instant.EPOCH, Instant.EPOCH, null, hardware, backends, engines);
  }

  private static JsonObject nvidia(int index, long memoryGib, String capability) {
    return device("nvidia", "NVIDIA GPU " + index, memoryGib, capability).put("index", index);
  }

  private static JsonObject device(String vendor, String name, long memoryGib, String architecture) {
    // a "48 GB" card reports a little less than 48 GiB
    return new JsonObject().put("vendor", vendor).put("name", name).put("memory_total", (long) (memoryGib * GIB * 0.98))
        .put("architecture", architecture);
  }

  private static JsonArray engines(String... backendVersion) {
    JsonArray engines = new JsonArray();
    for (int i = 0; i + 1 < backendVersion.length; i += 2) {
      engines.add(new JsonObject().put("backend", backendVersion[i]).put("version", backendVersion[i + 1]));
    }
    return engines;
  }

  private static List<JsonObject> specs(JsonObject catalog) {
    return catalog.getJsonArray("items").stream().map(JsonObject.class::cast)
        .flatMap(f -> f.getJsonArray("specs").stream().map(JsonObject.class::cast)).toList();
  }

  private static List<String> ids(JsonObject catalog) {
    return specs(catalog).stream().map(s -> s.getString("id")).toList();
  }

  private static JsonObject spec(JsonObject catalog, String id) {
    return specs(catalog).stream().filter(s -> id.equals(s.getString("id"))).findFirst()
        .orElseThrow(() -> new AssertionError("no spec " + id + " in " + ids(catalog)));
  }

  private static JsonObject family(JsonObject catalog, String name) {
    return catalog.getJsonArray("items").stream().map(JsonObject.class::cast).filter(f -> name.equals(f.getString("name")))
        .findFirst().orElse(null);
  }
}
