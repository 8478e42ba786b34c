package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.Ports;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import dev.gantry.testmodels.TestModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real speculative decoding on CPU: llama-server with a draft model, deployed through Gantry as a
 * {@code llama.cpp} model with {@code speculative: {algorithm: draft_model, draft_model: <gguf>}}. The target
 * is a random 2-layer test model; the draft is the same generator's 1-layer model (same vocabulary, same
 * first layer), so it guesses some tokens right and some wrong. Greedy completions must be identical with and
 * without the draft, and the node's normalized metrics must count drafted and accepted tokens.
 */
class SpeculativeLlamaServerTest {

  private static final int METRICS_PORT = Ports.free();
  private static final int WORDS = 2000;
  private static final int MAX_TOKENS = 48;
  private static Path dir;
  private static TestNodes nodes;
  private static Api admin;
  private static Api inference;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(System.getenv("GANTRY_LLAMA_SERVER") != null, "GANTRY_LLAMA_SERVER is not set (scripts/test.sh sets it)");
    dir = TestFiles.tempDir("gantry-speculative-");
    Path target = TestModels.random(dir.resolve("target.gguf"), 128, 2, 2, 384, WORDS);
    Path draft = TestModels.random(dir.resolve("draft.gguf"), 128, 1, 2, 384, WORDS);
    nodes = TestNodes.startWith(1, "--metrics-port", String.valueOf(METRICS_PORT));
    admin = nodes.admin(1);
    inference = nodes.api(1).withKey(admin.createKey("speculative", "inference").getString("value"));
    Api.expect(admin.post("/v2/models", model("plain", target)), 201);
    Api.expect(admin.post("/v2/models", model("drafted", target).put("speculative", new JsonObject()
        .put("algorithm", "draft_model").put("draft_model", draft.toString()).put("num_draft_tokens", 4))), 201);
    for (String name : new String[] {"plain", "drafted"}) {
      Eventually.await(Duration.ofSeconds(90), () -> assertThat(Api.expect(admin.get("/v2/model-instances?model_name="
          + name), 200).getJsonArray("items").getJsonObject(0).getString("state")).as(name).isEqualTo("running"));
    }
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
    if (dir != null) {
      TestFiles.deleteRecursively(dir);
    }
  }

  private static JsonObject model(String name, Path gguf) {
    return new JsonObject().put("name", name).put("backend", "llama.cpp").put("local_path", gguf.toString())
        .put("backend_parameters", new JsonArray().add("-c").add("512"));
  }

  private static JsonObject complete(String model) {
    Api.Response answer = inference.post("/v1/completions", new JsonObject().put("model", model).put("prompt", "hello")
        .put("max_tokens", MAX_TOKENS).put("temperature", 0).put("seed", 1));
    assertThat(answer.status()).as("%s", answer).isEqualTo(200);
    return answer.json();
  }

  private static Optional<Double> sample(String body, String metric, String model) {
    return body.lines().filter(l -> l.startsWith(metric + "{") && l.contains("model=\"" + model + "\""))
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst();
  }

  @Test
  void draftedCompletionsAreIdenticalAndTheDraftsAcceptedTokensAreCounted() {
    JsonObject plain = complete("plain");
    JsonObject drafted = complete("drafted");
    String text = plain.getJsonArray("choices").getJsonObject(0).getString("text");
    assertThat(plain.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(MAX_TOKENS);
    assertThat(drafted.getJsonArray("choices").getJsonObject(0).getString("text")).isEqualTo(text);
    assertThat(drafted.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(MAX_TOKENS);
    Api prometheus = new Api("http://127.0.0.1:" + METRICS_PORT);
    Eventually.await(Duration.ofSeconds(30), () -> {
      String body = prometheus.get("/metrics").body();
      assertThat(sample(body, "gantry_engine_spec_decode_accepted_tokens_total", "drafted")).hasValueSatisfying(
          accepted -> assertThat(accepted).isGreaterThan(0));
      assertThat(sample(body, "gantry_engine_spec_decode_draft_tokens_total", "drafted")).hasValueSatisfying(
          drafts -> assertThat(drafts).isGreaterThan(0));
      assertThat(sample(body, "gantry_engine_spec_decode_draft_tokens_total", "plain")).contains(0.0);
      assertThat(sample(body, "gantry_engine_generation_tokens_total", "drafted")).contains((double) MAX_TOKENS);
    });
  }
}
