package dev.gantry.model.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.backend.StandInEngine;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real node running a vLLM stand-in (with {@code /metrics}): the model's engine and gateway readings are
 * recorded over time, served by {@code /v2/metrics/models/{name}}, and still there after the node restarts.
 */
class ModelMetricsTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String MODEL = "history-model";
  private static Path engines;
  private static TestNodes nodes;

  @BeforeAll
  static void start() throws Exception {
    engines = TestFiles.tempDir("gantry-model-history-");
    StandInEngine.install(engines, "vllm", "0.11.2");
    Path weights = Files.createDirectories(engines.resolve("weights/qwen"));
    Files.writeString(weights.resolve("config.json"), "{}");
    nodes = TestNodes.startWith(1, "--engines-dir", engines.toString());
    Api.expect(nodes.admin(1).post("/v2/models", new JsonObject().put("name", MODEL).put("backend", "vllm")
        .put("backend_version", "0.11.2").put("local_path", weights.toString())
        .put("estimate_override_bytes", 64L << 20)), 201);
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
    TestFiles.deleteRecursively(engines);
  }

  @Test
  void aRunningModelsEngineAndGatewayReadingsAreKeptAndSurviveARestart() throws Exception {
    Api admin = nodes.admin(1);
    Eventually.await(WAIT, () -> assertThat(series(history("1h"), "kv_cache_usage_ratio")).isNotEmpty());
    Api inference = nodes.api(1).withKey(admin.createKey("model-history", "inference").getString("value"));

    Eventually.await(WAIT, () -> {
      Api.Response answer = inference.post("/v1/chat/completions", new JsonObject().put("model", MODEL)
          .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))));
      assertThat(answer.status()).as("%s", answer).isEqualTo(200);
      JsonObject hour = history("1h");
      assertThat(series(hour, "ttft_seconds")).isNotEmpty();
      assertThat(series(hour, "gateway_requests_per_second")).anySatisfy(p -> assertThat(value(p)).isPositive());
      assertThat(series(hour, "generation_tokens_per_second")).anySatisfy(p -> assertThat(value(p)).isPositive());
    });
    JsonObject hour = history("1h");
    assertThat(hour.getInteger("step_seconds")).isEqualTo(10);
    assertThat(hour.getJsonArray("nodes")).containsExactly(nodes.name(1));
    assertThat(series(hour, "kv_cache_usage_ratio")).allSatisfy(p -> assertThat(value(p)).isEqualTo(StandInEngine.KV_USAGE));
    assertThat(series(hour, "ttft_seconds")).allSatisfy(p -> assertThat(value(p)).isCloseTo(StandInEngine.TTFT,
        Offset.offset(1e-6)));
    assertThat(series(hour, "time_per_output_token_seconds")).isNotEmpty().allSatisfy(p -> assertThat(value(p))
        .isCloseTo(StandInEngine.TPOT, Offset.offset(1e-6)));
    assertThat(series(hour, "requests_waiting")).allSatisfy(p -> assertThat(value(p)).isZero());
    assertThat(series(history("30d"), "kv_cache_usage_ratio")).isNotEmpty();
    long stoppedAt = System.currentTimeMillis();

    nodes.stopNode(1);
    nodes.startNode(1);

    JsonObject after = history("1h");
    assertThat(series(after, "kv_cache_usage_ratio")).anySatisfy(p -> assertThat(((JsonArray) p).getLong(0))
        .isLessThan(stoppedAt));
    assertThat(series(after, "gateway_requests_per_second")).anySatisfy(p -> assertThat(value(p)).isPositive());
  }

  @Test
  void badRangesUnknownModelsAndStrangersAreRefusedWithAReason() {
    Api.Response badRange = nodes.admin(1).get("/v2/metrics/models/" + MODEL + "?range=1w");
    assertThat(badRange.status()).isEqualTo(400);
    assertThat(badRange.json().getString("message")).contains("1h, 24h, 30d").contains("1w");
    Api.Response unknown = nodes.admin(1).get("/v2/metrics/models/no-such-model");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().getString("message")).contains("no-such-model");
    assertThat(nodes.api(1).get("/v2/metrics/models/" + MODEL).status()).isEqualTo(401);
  }

  private static JsonObject history(String range) {
    return Api.expect(nodes.admin(1).get("/v2/metrics/models/" + MODEL + "?range=" + range), 200);
  }

  private static JsonArray series(JsonObject history, String name) {
    return history.getJsonObject("series").getJsonArray(name, new JsonArray());
  }

  private static double value(Object point) {
    return ((JsonArray) point).getDouble(1);
  }
}
