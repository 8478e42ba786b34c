package dev.gantry.engine.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
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
 * A real node started with {@code --engines-dir} over stand-in engines ({@link StandInEngine}: vLLM 0.8.2
 * and 0.11.2, SGLang 0.5.4.post3, MindIE 2.3.0, each accepting exactly its version's options): the node reports them
 * by version, a model's {@code backend_version} picks the executable and its options, replicas run and
 * answer chats through the gateway, and what a version cannot do is refused or stays pending with a
 * message that names the versions.
 */
class StandInEnginesNodeTest {

  private static Path engines;
  private static Path weights;
  private static TestNodes nodes;
  private static Api admin;
  private static Api inference;

  @BeforeAll
  static void start() throws Exception {
    engines = TestFiles.tempDir("gantry-engines-");
    StandInEngine.install(engines, "vllm", "0.8.2");
    StandInEngine.install(engines, "vllm", "0.11.2");
    StandInEngine.install(engines, "sglang", "0.5.4.post3");
    StandInEngine.install(engines, "mindie", "2.3.0");
    weights = Files.createDirectories(engines.resolve("weights/qwen"));
    Files.writeString(weights.resolve("config.json"), "{}");
    nodes = TestNodes.startWith(1, "--engines-dir", engines.toString());
    admin = nodes.admin(1);
    inference = nodes.api(1).withKey(admin.createKey("engines", "inference").getString("value"));
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
    TestFiles.deleteRecursively(engines);
  }

  private static JsonObject model(String name, String backend, String version, String... parameters) {
    JsonObject spec = new JsonObject().put("name", name).put("backend", backend).put("local_path", weights.toString())
        .put("estimate_override_bytes", 64L << 20).put("backend_parameters", new JsonArray(List.of(parameters)));
    return version == null ? spec : spec.put("backend_version", version);
  }

  private static List<JsonObject> instances(String model) {
    return Api.expect(admin.get("/v2/model-instances?model_name=" + model), 200).getJsonArray("items").stream()
        .map(JsonObject.class::cast).toList();
  }

  private static void awaitRunning(String model) {
    Eventually.await(Duration.ofSeconds(60), () -> assertThat(instances(model))
        .as("instances of %s", model).singleElement().satisfies(i -> assertThat(i.getString("state")).isEqualTo("running")));
  }

  private static void chats(String model) {
    Api.Response answer = inference.post("/v1/chat/completions", new JsonObject().put("model", model)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))));
    assertThat(answer.status()).as("%s", answer).isEqualTo(200);
    assertThat(answer.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
        .isEqualTo(StandInEngine.REPLY);
  }

  @Test
  void theNodeReportsEveryEngineWithTheVersionItSays() {
    Eventually.await(Duration.ofSeconds(30), () -> {
      JsonObject node = Api.expect(admin.get("/v2/nodes/" + nodes.name(1)), 200);
      assertThat(node.getJsonArray("backends").getList()).contains("vllm", "sglang");
      assertThat(node.getJsonArray("engines").stream().map(JsonObject.class::cast)
          .map(e -> e.getString("backend") + " " + e.getString("version")))
          .containsExactly("mindie 2.3.0", "sglang 0.5.4.post3", "vllm 0.11.2", "vllm 0.8.2");
    });
    JsonObject vllm = Api.expect(admin.get("/v2/inference-backends"), 200).getJsonArray("items").stream()
        .map(JsonObject.class::cast).filter(b -> b.getString("backend").equals("vllm")).findFirst().orElseThrow();
    assertThat(vllm.getJsonArray("owned_parameters").getList()).contains("--port", "--api-key");
    JsonObject newest = vllm.getJsonArray("versions").getJsonObject(0);
    assertThat(newest.getString("version")).isEqualTo("0.11.2");
    assertThat(newest.getJsonArray("nodes").getList()).containsExactly(nodes.name(1));
    assertThat(newest.getJsonArray("refused_parameters").encode()).contains("--speculative-model");
    assertThat(vllm.getJsonArray("versions").getJsonObject(1).getJsonArray("parameters").encode())
        .contains("--speculative-model");
  }

  @Test
  void aVllmModelWithoutVersionRunsOnTheNewestAndAnswersThroughTheGateway() {
    Api.expect(admin.post("/v2/models", model("vllm-newest", "vllm", null, "--max-model-len=4096")), 201);
    awaitRunning("vllm-newest");
    chats("vllm-newest");
  }

  @Test
  void aNamedOldVersionRunsWithTheOptionsOnlyItHas() {
    // the 0.11.2 stand-in would exit with "unrecognized arguments: --speculative-model"
    Api.expect(admin.post("/v2/models", model("vllm-old", "vllm", "0.8.2", "--speculative-model", weights.toString(),
        "--num-speculative-tokens", "3")), 201);
    awaitRunning("vllm-old");
    chats("vllm-old");
  }

  @Test
  void anOptionTheNamedVersionRemovedIsRefusedNamingTheVersion() {
    Api.Response refused = admin.post("/v2/models", model("vllm-removed", "vllm", "0.11.2", "--speculative-model=/d"));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body()).contains("--speculative-model was removed in vllm 0.8.3", "chosen version 0.11.2",
        "--speculative-config");
    Api.Response owned = admin.post("/v2/models", model("vllm-owned", "vllm", null, "--port", "9000"));
    assertThat(owned.status()).isEqualTo(400);
    assertThat(owned.body()).contains("may not set --port");
  }

  @Test
  void aVersionNoNodeHasStaysPendingSayingWhichVersionsEachNodeHas() {
    Api.expect(admin.post("/v2/models", model("vllm-missing", "vllm", "0.9.9")), 201);
    Eventually.await(Duration.ofSeconds(30), () -> assertThat(instances("vllm-missing")).singleElement()
        .satisfies(i -> {
          assertThat(i.getString("state")).isEqualTo("pending");
          assertThat(i.getString("state_message")).contains("vllm 0.9.9 is on no ready node",
              nodes.name(1) + ": 0.11.2, 0.8.2");
        }));
  }

  @Test
  void anSglangModelWaitsForItsHealthThenAnswersWithTheKeyFromItsConfigFile() {
    JsonObject created = Api.expect(admin.post("/v2/models", model("sglang-model", "sglang", "0.5.4.post3",
        "--context-length", "2048")), 201);
    awaitRunning("sglang-model");
    chats("sglang-model");
    List<String> args = nodes.args(1);
    Path work = Path.of(args.get(args.indexOf("--data-dir") + 1), "engine-work",
        instances("sglang-model").get(0).getString("name"));
    assertThat(work.resolve("sglang-args.yaml")).exists();
    Api.expect(admin.delete("/v2/models/" + created.getLong("id")), 204);
    Eventually.await(Duration.ofSeconds(30), () -> assertThat(work).as("the key file goes with its instance").doesNotExist());
  }

  @Test
  void withoutAVersionTheNewestIsCheckedWhenTheEngineStartsAndARefusalIsTheInstancesError() {
    Api.expect(admin.post("/v2/models", model("vllm-unversioned-old-flag", "vllm", null, "--speculative-model=/d")), 201);
    Eventually.await(Duration.ofSeconds(30), () -> assertThat(instances("vllm-unversioned-old-flag")).singleElement()
        .satisfies(i -> {
          assertThat(i.getString("state")).isEqualTo("error");
          assertThat(i.getString("state_message")).contains("--speculative-model was removed in vllm 0.8.3",
              "chosen version 0.11.2");
        }));
  }

  @Test
  void aMindieModelStartsFromItsGeneratedConfigAndAnswersThroughTheGateway() {
    Api.expect(admin.post("/v2/models", model("mindie-model", "mindie", null, "--max-seq-len", "4096")), 201);
    awaitRunning("mindie-model");
    chats("mindie-model");
  }
}
