package dev.gantry.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Ids;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import dev.gantry.testmodels.TestModels;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A model from a hub end to end on a real node: the repo is pinned when the model is saved (bad repo,
 * revision or gated repo refused then, naming the hub), the node downloads the GGUF from the stand-in hub
 * into its cache, the builtin engine serves it and a chat is answered; with the hub gone, the cached
 * model starts again.
 */
class HubDeploymentTest {

  static FakeHub hub;
  static TestNodes nodes;
  static Api admin;
  static String repo;
  static String gated;
  static byte[] gguf;
  static Path dir;

  @BeforeAll
  static void start() throws Exception {
    dir = TestFiles.tempDir("gantry-hub-deploy-");
    gguf = Files.readAllBytes(TestModels.deterministic(dir.resolve("tiny.gguf")));
    hub = new FakeHub();
    repo = "gantry-" + Ids.random(6) + "/Tiny-Chat-GGUF";
    gated = "gantry-" + Ids.random(6) + "/Gated-GGUF";
    hub.add(repo, "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", Map.of("tiny-chat-Q8_0.gguf", gguf,
        "config.json", "{}".getBytes()), false);
    hub.add(gated, "0123456789abcdef0123456789abcdef01234567", Map.of("gated-Q8_0.gguf", gguf), true);
    nodes = TestNodes.start(1);
    admin = nodes.admin(1);
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
    if (hub != null) {
      hub.close();
    }
    TestFiles.deleteRecursively(dir);
  }

  @Test
  void aGgufFromTheHubIsDownloadedOnceRunsOnTheBuiltinEngineAndStartsAgainWithoutTheHub() {
    FakeHub own = new FakeHub();
    own.add(repo, "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", Map.of("tiny-chat-Q8_0.gguf", gguf,
        "config.json", "{}".getBytes()), false);
    String name = "hub-chat-" + Ids.random(6);
    dev.gantry.testing.SseClient watch = dev.gantry.testing.SseClient.watch(admin, "/v2/model-instances?watch=true");
    JsonObject created = Api.expect(admin.post("/v2/models", spec(name, repo, own).put("hub_token", own.token)), 201);

    assertThat(created.getJsonObject("resolved").getString("commit")).isEqualTo("a1b2c3d4e5f60718293a4b5c6d7e8f9012345678");
    assertThat(created.getJsonObject("resolved").getString("main_file")).isEqualTo("tiny-chat-Q8_0.gguf");
    assertThat(created.getBoolean("hub_token_set")).isTrue();
    assertThat(created.encode()).doesNotContain(own.token).doesNotContain("hub_token_sealed");
    awaitRunning(name);
    // the watch's event for "running" may arrive a moment after the API answers it
    Eventually.await(Duration.ofSeconds(10), () -> assertThat(watch.received().stream()
        .filter(e -> e.data() != null && e.data().contains(name)).map(e -> e.json().getString("state"))).contains("running"));
    List<JsonObject> seen = watch.received().stream().filter(e -> e.data() != null && e.data().contains(name))
        .map(e -> e.json()).toList();
    watch.close();
    List<String> states = seen.stream().map(i -> i.getString("state")).distinct().toList();
    assertThat(states).as("states seen through the watch").containsSubsequence("downloading", "starting", "running");
    List<Long> bytes = seen.stream().filter(i -> i.getJsonObject("download") != null)
        .map(i -> i.getJsonObject("download").getLong("bytes")).toList();
    assertThat(bytes).isNotEmpty().isSorted().last().isEqualTo((long) gguf.length);
    String key = admin.createKey("k-" + Ids.random(6), "inference").getString("value");
    Api.Response chat = admin.withKey(key).post("/v1/chat/completions", new JsonObject().put("model", name)
        .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))));
    assertThat(chat.status()).as(chat.body()).isEqualTo(200);
    assertThat(chat.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
        .contains(TestModels.REPLY);
    assertThat(own.downloads("tiny-chat-Q8_0.gguf")).isEqualTo(1);
    assertThat(admin.get("/v2/models/" + name).body()).doesNotContain(own.token);

    Api.expect(admin.patch("/v2/models/" + name, new JsonObject().put("replicas", 0)), 200);
    Eventually.await(Duration.ofSeconds(30), () -> assertThat(instances(name)).isEmpty());
    own.close();
    Api.expect(admin.patch("/v2/models/" + name, new JsonObject().put("replicas", 1)), 200);
    awaitRunning(name);

    JsonObject cached = cachedFile("tiny-chat-Q8_0.gguf");
    assertThat(cached.getString("node_name")).isEqualTo(nodes.name(1));
    assertThat(cached.getLong("size")).isEqualTo(gguf.length);
    assertThat(cached.getBoolean("complete")).isTrue();
    assertThat(cached.getJsonArray("models").getList()).containsExactly(name);
    Api.Response inUse = admin.delete("/v2/model-files/" + cached.getString("id"));
    assertThat(inUse.status()).isEqualTo(409);
    assertThat(inUse.json().getString("message")).contains(name);
    Api.expect(admin.patch("/v2/models/" + name, new JsonObject().put("replicas", 0)), 200);
    Eventually.await(Duration.ofSeconds(30), () -> assertThat(instances(name)).isEmpty());
    assertThat(admin.delete("/v2/model-files/" + cached.getString("id")).status()).isEqualTo(204);
    assertThat(admin.get("/v2/model-files").body()).doesNotContain(cached.getString("id"));
    assertThat(admin.delete("/v2/model-files/" + cached.getString("id")).status()).isEqualTo(404);
  }

  @Test
  void evaluateEstimatesASafetensorsModelFromItsHeadersAndSaysWhereItFits() {
    String qwen = "qwen-" + Ids.random(6) + "/Qwen2.5-0.5B-Instruct";
    hub.add(qwen, "7ae557604adf67be50417f59c2c2f167def9a775", Map.of(
        "model.safetensors", PublishedShapes.fileHead(PublishedShapes.header(PublishedShapes.qwen(), 0)),
        "config.json", PublishedShapes.qwenConfig().encode().getBytes()), false);
    JsonObject onCpu = new JsonObject().put("source", "huggingface").put("repo", qwen).put("hub_endpoint", hub.endpoint())
        .put("backend", "custom").put("run_command", "serve --port {{port}} {{model_path}}").put("context_length", 4096);

    JsonObject cpu = Api.expect(admin.post("/v2/models/evaluate", onCpu), 200);
    JsonObject onGpu = onCpu.copy();
    onGpu.remove("run_command");
    JsonObject gpu = Api.expect(admin.post("/v2/models/evaluate", onGpu.put("backend", "vllm")
        .put("backend_parameters", new io.vertx.core.json.JsonArray()).put("context_length", 4096)), 200);
    Api.Response unknown = admin.post("/v2/models/evaluate", onCpu.copy().put("repo", "nobody/nothing"));

    assertThat(cpu.getJsonObject("estimate").getLong("parameters")).isEqualTo(PublishedShapes.QWEN_PARAMETERS);
    assertThat(cpu.getJsonObject("estimate").getLong("kv_bytes")).isEqualTo(12_288L * 4096);
    assertThat(cpu.getLong("needed_bytes")).isEqualTo(cpu.getJsonObject("estimate").getLong("total_bytes"));
    assertThat(cpu.getBoolean("fits")).isTrue();
    assertThat(cpu.getJsonArray("nodes").getJsonObject(0).getString("node_name")).isEqualTo(nodes.name(1));
    assertThat(gpu.getBoolean("on_devices")).isTrue();
    assertThat(gpu.getBoolean("fits")).as("a node without accelerators holds no vLLM replica").isFalse();
    assertThat(gpu.getLong("needed_bytes")).isGreaterThan(cpu.getLong("needed_bytes"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(admin.get("/v2/models?perPage=500").body()).doesNotContain(qwen);
  }

  static JsonObject cachedFile(String path) {
    return admin.get("/v2/model-files").json().getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(f -> path.equals(f.getString("path"))).findFirst().orElseThrow();
  }

  @Test
  void anUnknownRepoOrRevisionIsRefusedWhenTheModelIsSavedNamingTheHub() {
    Api.Response unknownRepo = admin.post("/v2/models", spec("m-" + Ids.random(6), "nobody/nothing-" + Ids.random(4)));
    Api.Response unknownRevision = admin.post("/v2/models", spec("m-" + Ids.random(6), repo).put("revision", "v9.9"));
    Api.Response gatedWithoutToken = admin.post("/v2/models", spec("m-" + Ids.random(6), gated));
    Api.Response noMatch = admin.post("/v2/models", spec("m-" + Ids.random(6), repo).put("file", "*Q2_K*.gguf"));

    assertThat(unknownRepo.status()).as(unknownRepo.body()).isEqualTo(404);
    assertThat(unknownRepo.json().getString("message")).contains("not found on Hugging Face (" + hub.endpoint() + ")");
    assertThat(unknownRevision.status()).isEqualTo(404);
    assertThat(unknownRevision.json().getString("message")).contains("revision 'v9.9' not found").contains("Hugging Face");
    assertThat(gatedWithoutToken.status()).isEqualTo(403);
    assertThat(gatedWithoutToken.json().getString("message")).contains("is gated").contains("hub_token");
    assertThat(noMatch.status()).isEqualTo(404);
    assertThat(noMatch.json().getString("message")).contains("tiny-chat-Q8_0.gguf");
    assertThat(admin.get("/v2/models?perPage=500").body()).doesNotContain(repo + "\",\"revision\":\"v9.9");
  }

  static JsonObject spec(String name, String repository) {
    return spec(name, repository, hub);
  }

  static JsonObject spec(String name, String repository, FakeHub from) {
    return new JsonObject().put("name", name).put("source", "huggingface").put("repo", repository)
        .put("file", "*.gguf").put("backend", "builtin").put("hub_endpoint", from.endpoint());
  }

  static List<JsonObject> instances(String model) {
    return admin.get("/v2/model-instances?perPage=500").items().stream().map(JsonObject.class::cast)
        .filter(i -> model.equals(i.getString("model_name"))).toList();
  }

  static void awaitRunning(String model) {
    Eventually.await(Duration.ofSeconds(90), () -> assertThat(instances(model)).singleElement()
        .satisfies(i -> assertThat(i.getString("state")).as(i.encode()).isEqualTo("running")));
  }
}
