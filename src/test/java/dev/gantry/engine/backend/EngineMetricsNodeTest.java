package dev.gantry.engine.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.Ports;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real node over stand-ins of vLLM 0.8.2 (KV usage as {@code vllm:gpu_cache_usage_perc}) and 0.11.2
 * ({@code vllm:kv_cache_usage_perc}), deployed with {@code speculative} and {@code kv_cache} that each
 * stand-in checks against its version's options: both run, and the node's Prometheus endpoint shows the
 * same {@code gantry_engine_kv_cache_usage_ratio} for both, with the chats counted under Gantry's names; an
 * SGLang 0.5.4.post3 stand-in with a STANDALONE draft and HiCache reports under the same names.
 */
class EngineMetricsNodeTest {

  private static final int METRICS_PORT = Ports.free();
  private static Path engines;
  private static Path weights;
  private static TestNodes nodes;
  private static Api admin;
  private static Api inference;

  @BeforeAll
  static void start() throws Exception {
    engines = TestFiles.tempDir("gantry-engine-metrics-");
    StandInEngine.install(engines, "vllm", "0.8.2");
    StandInEngine.install(engines, "vllm", "0.11.2");
    StandInEngine.install(engines, "sglang", "0.5.4.post3");
    weights = Files.createDirectories(engines.resolve("weights/qwen"));
    Files.writeString(weights.resolve("config.json"), "{}");
    nodes = TestNodes.startWith(1, "--engines-dir", engines.toString(), "--metrics-port", String.valueOf(METRICS_PORT));
    admin = nodes.admin(1);
    inference = nodes.api(1).withKey(admin.createKey("engine-metrics", "inference").getString("value"));
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
    TestFiles.deleteRecursively(engines);
  }

  private static JsonObject model(String name, String version) {
    return model(name, "vllm", version);
  }

  private static JsonObject model(String name, String backend, String version) {
    return new JsonObject().put("name", name).put("backend", backend).put("backend_version", version)
        .put("local_path", weights.toString()).put("estimate_override_bytes", 64L << 20);
  }

  private static void runningAndChatted(String name) {
    Eventually.await(Duration.ofSeconds(60), () -> assertThat(Api.expect(admin.get("/v2/model-instances?model_name="
        + name), 200).getJsonArray("items").getJsonObject(0).getString("state")).isEqualTo("running"));
    Api.Response answer = inference.post("/v1/chat/completions", new JsonObject().put("model", name)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))));
    assertThat(answer.status()).as("%s", answer).isEqualTo(200);
  }

  /** The value of a sample of the node's scrape whose labels include {@code model="<model>"}. */
  private static Optional<Double> sample(String body, String metric, String model) {
    return body.lines().filter(l -> l.startsWith(metric + "{") && l.contains("model=\"" + model + "\""))
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst();
  }

  @Test
  void twoVllmVersionsShowTheSameNormalizedKvCacheUsage() {
    Api.expect(admin.post("/v2/models", model("metrics-old", "0.8.2").put("speculative", new JsonObject()
        .put("algorithm", "ngram").put("num_draft_tokens", 3).put("ngram_max", 4))), 201);
    Api.expect(admin.post("/v2/models", model("metrics-new", "0.11.2").put("speculative", new JsonObject()
        .put("algorithm", "eagle3").put("draft_model", weights.toString())).put("kv_cache", new JsonObject()
        .put("host_memory_gib", 1))), 201);
    runningAndChatted("metrics-old");
    runningAndChatted("metrics-new");
    Api prometheus = new Api("http://127.0.0.1:" + METRICS_PORT);
    Eventually.await(Duration.ofSeconds(30), () -> {
      String body = prometheus.get("/metrics").body();
      for (String model : List.of("metrics-old", "metrics-new")) {
        assertThat(sample(body, "gantry_engine_kv_cache_usage_ratio", model)).as(model).contains(StandInEngine.KV_USAGE);
        assertThat(sample(body, "gantry_engine_generation_tokens_total", model)).as(model).contains(6.0);
        assertThat(sample(body, "gantry_engine_ttft_seconds_count", model)).as(model).contains(1.0);
        assertThat(sample(body, "gantry_engine_spec_decode_accepted_tokens_total", model)).as(model).contains(3.0);
      }
      assertThat(body).contains("instance=\"metrics-new-");
    });
  }

  @Test
  void anSglangModelWithAStandaloneDraftAndHiCacheRunsAndReportsUnderTheSameNames() {
    Api.expect(admin.post("/v2/models", model("metrics-sglang", "sglang", "0.5.4.post3").put("speculative",
        new JsonObject().put("algorithm", "draft_model").put("draft_model", weights.toString()).put("num_draft_tokens", 4))
        .put("kv_cache", new JsonObject().put("host_memory_ratio", 2).put("chunk_size", 64))), 201);
    runningAndChatted("metrics-sglang");
    Api prometheus = new Api("http://127.0.0.1:" + METRICS_PORT);
    Eventually.await(Duration.ofSeconds(30), () -> {
      String body = prometheus.get("/metrics").body();
      assertThat(sample(body, "gantry_engine_kv_cache_usage_ratio", "metrics-sglang")).contains(StandInEngine.KV_USAGE);
      assertThat(sample(body, "gantry_engine_generation_tokens_total", "metrics-sglang")).contains(6.0);
      assertThat(sample(body, "gantry_engine_requests_waiting", "metrics-sglang")).contains(0.0);
    });
  }

  @Test
  void anAlgorithmTheVersionLacksIsRefusedBeforeAnyEngineStarts() {
    Api.Response refused = admin.post("/v2/models", model("metrics-eagle3-old", "0.8.2").put("speculative",
        new JsonObject().put("algorithm", "eagle3").put("draft_model", weights.toString())));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body()).contains("speculative algorithm 'eagle3' needs vllm >= 0.8.5; the chosen version is 0.8.2");
  }
}
