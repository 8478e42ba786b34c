package dev.gantry.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.SseClient;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import dev.gantry.testmodels.TestModels;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deploying, scaling, breaking and deleting models on one real node with real llama-server engines
 * (the deterministic tiny GGUF): every state change is visible, and no engine process is left behind.
 */
class ModelLifecycleTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static TestNodes nodes;
  private static Api admin;
  private static Path dir;
  private static Path model;

  @BeforeAll
  static void startNode() throws Exception {
    assumeTrue(System.getenv("GANTRY_LLAMA_SERVER") != null, "GANTRY_LLAMA_SERVER is not set (scripts/test.sh sets it)");
    dir = TestFiles.tempDir("gantry-models-");
    model = TestModels.deterministic(dir.resolve("deterministic.gguf"));
    nodes = TestNodes.start(1);
    admin = nodes.admin(1);
  }

  @AfterAll
  static void stopNode() {
    if (nodes != null) {
      nodes.close();
      TestFiles.deleteRecursively(dir);
    }
  }

  private static String unique(String prefix) {
    return prefix + "-" + Long.toString(System.nanoTime() % 100_000_000L, 36);
  }

  private static JsonObject deploy(String name, Path file, int replicas) {
    return Api.expect(admin.post("/v2/models", new JsonObject().put("name", name).put("backend", "llama.cpp")
        .put("local_path", file.toString()).put("replicas", replicas)), 201);
  }

  private static List<JsonObject> instances(String model) {
    List<JsonObject> out = new ArrayList<>();
    Api.expect(admin.get("/v2/model-instances?model_name=" + model), 200).getJsonArray("items")
        .forEach(o -> out.add((JsonObject) o));
    return out;
  }

  private static JsonObject awaitState(String model, String state) {
    JsonObject[] found = new JsonObject[1];
    Eventually.await(DEADLINE, () -> {
      List<JsonObject> all = instances(model);
      assertThat(all).isNotEmpty();
      assertThat(all.get(0).getString("state")).as("%s", all.get(0)).isEqualTo(state);
      found[0] = all.get(0);
    });
    return found[0];
  }

  private static Optional<ProcessHandle> engine(JsonObject instance) {
    return ProcessHandle.of(instance.getLong("pid")).filter(ProcessHandle::isAlive)
        .flatMap(wrapper -> wrapper.children().filter(c -> c.info().command().orElse("").contains("llama-server")).findFirst());
  }

  @Test
  void aDeployedModelReachesRunningThroughVisibleStatesAndServesItsLog() throws Exception {
    String name = unique("det");
    try (SseClient watch = SseClient.watch(admin, "/v2/model-instances")) {
      deploy(name, model, 1);
      watch.awaitEvent(e -> name.equals(e.item("model_name")) && "scheduled".equals(e.item("state")), DEADLINE);
      watch.awaitEvent(e -> name.equals(e.item("model_name")) && "starting".equals(e.item("state")), DEADLINE);
      SseClient.Event running = watch.awaitEvent(e -> name.equals(e.item("model_name"))
          && "running".equals(e.item("state")), DEADLINE);
      JsonObject instance = running.json();
      assertThat(instance.getString("node_name")).isEqualTo(nodes.name(1));
      assertThat(instance.getInteger("port")).isBetween(40000, 40999);
      assertThat(instance.containsKey("secret")).as("the engine secret never leaves the cluster").isFalse();
      assertThat(instance.getJsonObject("claim").getLong("ram")).isPositive();
    }
    JsonObject instance = instances(name).get(0);
    String log = admin.get("/v2/model-instances/" + instance.getString("id") + "/logs?tail=50").body();
    assertThat(log).contains("listening");
    HttpResponse<String> direct = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + instance.getInteger("port") + "/v1/models")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(direct.statusCode()).as("an engine refuses callers without its secret").isEqualTo(401);
    admin.delete("/v2/models/" + name);
  }

  @Test
  void scalingUpAndToZeroStartsAndStopsEngines() {
    String name = unique("scale");
    deploy(name, model, 1);
    awaitState(name, "running");
    Api.expect(admin.patch("/v2/models/" + name, new JsonObject().put("replicas", 2)), 200);
    Eventually.await(DEADLINE, () -> assertThat(instances(name)).hasSize(2)
        .allSatisfy(i -> assertThat(i.getString("state")).isEqualTo("running")));
    List<ProcessHandle> engines = instances(name).stream().map(i -> engine(i).orElseThrow()).toList();
    Api.expect(admin.patch("/v2/models/" + name, new JsonObject().put("replicas", 0)), 200);
    Eventually.await(DEADLINE, () -> assertThat(instances(name)).isEmpty());
    Eventually.await(Duration.ofSeconds(20), () -> assertThat(engines).noneMatch(ProcessHandle::isAlive));
    admin.delete("/v2/models/" + name);
  }

  @Test
  void deletingAModelStopsItsEngine() {
    String name = unique("del");
    deploy(name, model, 1);
    ProcessHandle engine = engine(awaitState(name, "running")).orElseThrow();
    assertThat(admin.delete("/v2/models/" + name).status()).isEqualTo(204);
    Eventually.await(Duration.ofSeconds(20), () -> assertThat(engine.isAlive()).isFalse());
    Eventually.await(DEADLINE, () -> assertThat(instances(name)).isEmpty());
    assertThat(admin.get("/v2/models/" + name).status()).isEqualTo(404);
  }

  @Test
  void anEngineThatDiesIsRestarted() {
    String name = unique("crash");
    deploy(name, model, 1);
    JsonObject before = awaitState(name, "running");
    ProcessHandle engine = engine(before).orElseThrow();
    engine.destroyForcibly();
    Eventually.await(DEADLINE, () -> {
      JsonObject after = instances(name).get(0);
      assertThat(after.getInteger("restart_count")).isEqualTo(1);
      assertThat(after.getString("state")).isEqualTo("running");
      assertThat(after.getLong("pid")).isNotEqualTo(before.getLong("pid"));
    });
    admin.delete("/v2/models/" + name);
  }

  @Test
  void aFileThatIsNotGgufPutsTheReplicaInErrorWithBackoffNotACrashLoop() throws Exception {
    String name = unique("bad");
    Path bad = Files.writeString(dir.resolve(name + ".gguf"), "this is not a model");
    deploy(name, bad, 1);
    Eventually.await(DEADLINE, () -> {
      JsonObject instance = instances(name).get(0);
      assertThat(instance.getString("state")).isEqualTo("error");
      assertThat(instance.getInteger("restart_count")).isGreaterThanOrEqualTo(2);
      assertThat(instance.getString("state_message")).contains(bad.toString()).contains("not a valid GGUF")
          .contains("bad magic").contains("retry in 2 s");
    });
    admin.delete("/v2/models/" + name);
  }

  @Test
  void aMissingFileSaysSo() {
    String name = unique("missing");
    deploy(name, dir.resolve("nowhere.gguf"), 1);
    Eventually.await(DEADLINE, () -> assertThat(instances(name).get(0).getString("state_message"))
        .contains("does not exist on this node"));
    admin.delete("/v2/models/" + name);
  }

  @Test
  void aReplicaThatFitsNowhereStaysPendingAndSaysWhyNodeByNode() {
    String name = unique("huge");
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", name).put("backend", "llama.cpp")
        .put("local_path", model.toString()).put("estimate_override_bytes", 1L << 50)), 201);
    Eventually.await(DEADLINE, () -> {
      JsonObject instance = instances(name).get(0);
      assertThat(instance.getString("state")).isEqualTo("pending");
      assertThat(instance.getString("state_message")).contains(nodes.name(1)).contains("needs");
    });
    admin.delete("/v2/models/" + name);
  }

  @Test
  void badModelSpecsAreRejectedWithAMessage() {
    Api.Response noPath = admin.post("/v2/models", new JsonObject().put("name", unique("x")).put("backend", "llama.cpp"));
    assertThat(noPath.status()).isEqualTo(400);
    assertThat(noPath.json().getString("message")).contains("local_path");
    Api.Response badReplicas = admin.post("/v2/models", new JsonObject().put("name", unique("x"))
        .put("local_path", model.toString()).put("replicas", -1));
    assertThat(badReplicas.status()).isEqualTo(400);
    assertThat(badReplicas.json().getString("message")).contains("replicas");
    String name = unique("dup");
    deploy(name, model, 0);
    assertThat(admin.post("/v2/models", new JsonObject().put("name", name).put("local_path", model.toString()))
        .status()).isEqualTo(409);
    admin.delete("/v2/models/" + name);
  }
}
