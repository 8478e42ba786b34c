package dev.gantry.engine.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.builtin.InJvmBuiltinEngine;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole lifecycle against every stand-in backend at two versions each (vLLM 0.8.2 / 0.11.2, SGLang
 * 0.4.4 / 0.5.4.post3, MindIE 2.1.RC1 / 2.3.0), on one node whose stand-ins delegate generation to the
 * builtin engine serving {@code gantry-tiny-chat} in this JVM: deploy with {@code backend_version} →
 * running → a chat (whole and streamed) through the gateway answers what the builtin engine answers
 * directly → the node's Prometheus endpoint shows that chat's real usage under Gantry's
 * {@code gantry_engine_*} names, read from the version's own metric names → scale to 2 replicas, both
 * running → delete, and no stand-in process of that version is left.
 */
class StandInLifecycleTest {

  private static final int METRICS_PORT = Ports.free();
  private static final JsonArray PROMPT = new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"));
  private static InJvmBuiltinEngine builtin;
  private static Path engines;
  private static Path weights;
  private static TestNodes nodes;
  private static Api admin;
  private static Api inference;
  private static String directAnswer;

  @BeforeAll
  static void start() throws Exception {
    builtin = InJvmBuiltinEngine.start();
    Api direct = new Api(builtin.url());
    directAnswer = content(Api.expect(direct.post("/v1/chat/completions", chat(InJvmBuiltinEngine.MODEL)), 200));
    engines = TestFiles.tempDir("gantry-standin-lifecycle-");
    for (String[] engine : new String[][] {{"vllm", "0.8.2"}, {"vllm", "0.11.2"}, {"sglang", "0.4.4"},
        {"sglang", "0.5.4.post3"}, {"mindie", "2.1.RC1"}, {"mindie", "2.3.0"}}) {
      StandInEngine.install(engines, engine[0], engine[1]);
    }
    StandInEngine.delegateTo(engines, builtin.url(), InJvmBuiltinEngine.MODEL);
    weights = Files.createDirectories(engines.resolve("weights/qwen"));
    Files.writeString(weights.resolve("config.json"), "{}");
    nodes = TestNodes.startWith(1, "--engines-dir", engines.toString(), "--metrics-port", String.valueOf(METRICS_PORT));
    admin = nodes.admin(1);
    inference = nodes.api(1).withKey(admin.createKey("standin-lifecycle", "inference").getString("value"));
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
    if (builtin != null) {
      builtin.close();
    }
    TestFiles.deleteRecursively(engines);
  }

  private static JsonObject chat(String model) {
    return new JsonObject().put("model", model).put("messages", PROMPT.copy()).put("max_tokens", 16);
  }

  private static String content(JsonObject answer) {
    return answer.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
  }

  private static List<JsonObject> instances(String model) {
    return Api.expect(admin.get("/v2/model-instances?model_name=" + model), 200).getJsonArray("items").stream()
        .map(JsonObject.class::cast).toList();
  }

  private static void awaitRunning(String model, int replicas) {
    Eventually.await(Duration.ofSeconds(60), () -> assertThat(instances(model)).as("instances of %s", model)
        .hasSize(replicas).allSatisfy(i -> assertThat(i.getString("state")).as("%s", i).isEqualTo("running")));
  }

  /** The value of the node's sample of {@code metric} for {@code model}. */
  private static Optional<Double> sample(String metric, String model) {
    return new Api("http://127.0.0.1:" + METRICS_PORT).get("/metrics").body().lines()
        .filter(l -> l.startsWith(metric + "{") && l.contains("model=\"" + model + "\""))
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst();
  }

  /** The stand-in processes of one version still alive (their command line names its java.args). */
  private static List<ProcessHandle> standIns(String backend, String version) {
    String argsFile = engines.resolve(backend).resolve(version).resolve("bin/java.args").toString();
    return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(argsFile)).toList();
  }

  /** The deltas' text of a streamed answer. */
  private static String streamedText(String events) {
    StringBuilder text = new StringBuilder();
    events.lines().filter(l -> l.startsWith("data:") && !l.contains("[DONE]"))
        .map(l -> new JsonObject(l.substring(5).trim())).forEach(chunk -> {
          assertThat(chunk.getString("model")).as("a chunk's model").doesNotContain(InJvmBuiltinEngine.MODEL);
          JsonArray choices = chunk.getJsonArray("choices");
          if (choices != null && !choices.isEmpty()) {
            text.append(choices.getJsonObject(0).getJsonObject("delta", new JsonObject()).getString("content", ""));
          }
        });
    return text.toString();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"vllm, 0.8.2", "vllm, 0.11.2", "sglang, 0.4.4", "sglang, 0.5.4.post3", "mindie, 2.1.RC1", "mindie, 2.3.0"})
  void deployChatMeasureScaleAndDelete(String backend, String version) {
    String name = "life-" + backend + "-" + version.replaceAll("[^0-9a-zA-Z]", "-").toLowerCase();
    JsonObject created = Api.expect(admin.post("/v2/models", new JsonObject().put("name", name).put("backend", backend)
        .put("backend_version", version).put("local_path", weights.toString())
        .put("estimate_override_bytes", 64L << 20)), 201);
    awaitRunning(name, 1);
    assertThat(standIns(backend, version)).as("the named version's stand-in runs").hasSize(1);
    if (backend.equals("sglang") && EngineVersion.parse(version).before(StandInEngine.SGLANG_SERVE_SINCE)) {
      assertThat(standIns(backend, version).get(0).info().commandLine().orElseThrow())
          .as("an SGLang without 'sglang serve' runs from the python3 beside it").contains("-m sglang.launch_server");
    }

    JsonObject answer = Api.expect(inference.post("/v1/chat/completions", chat(name)), 200);
    assertThat(content(answer)).as("the real engine's answer").isEqualTo(directAnswer).isNotEqualTo(StandInEngine.REPLY);
    assertThat(answer.getString("model")).isEqualTo(name);
    long generated = answer.getJsonObject("usage").getLong("completion_tokens");
    long prompted = answer.getJsonObject("usage").getLong("prompt_tokens");
    assertThat(generated).isPositive();
    Api.Response streamed = inference.post("/v1/chat/completions", chat(name).put("stream", true));
    assertThat(streamed.status()).as("%s", streamed).isEqualTo(200);
    assertThat(streamedText(streamed.body())).isEqualTo(directAnswer);

    Eventually.await(Duration.ofSeconds(30), () -> {
      assertThat(sample("gantry_engine_kv_cache_usage_ratio", name)).contains(StandInEngine.KV_USAGE);
      assertThat(sample("gantry_engine_generation_tokens_total", name)).as("both chats' tokens")
          .contains((double) 2 * generated);
      assertThat(sample("gantry_engine_prompt_tokens_total", name)).contains((double) 2 * prompted);
    });

    Api.expect(admin.patch("/v2/models/" + name, new JsonObject().put("replicas", 2)), 200);
    awaitRunning(name, 2);
    assertThat(standIns(backend, version)).as("a stand-in per replica").hasSize(2);

    Api.expect(admin.delete("/v2/models/" + created.getLong("id")), 204);
    Eventually.await(Duration.ofSeconds(30), () -> {
      assertThat(instances(name)).isEmpty();
      assertThat(standIns(backend, version)).as("stand-ins left").isEmpty();
    });
  }
}
