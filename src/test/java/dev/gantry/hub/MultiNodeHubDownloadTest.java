package dev.gantry.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Ids;
import dev.gantry.engine.backend.StandInEngine;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.SseClient;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonArray;
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
 * A hub model too large for one node of two runs over both: each part's node downloads the files into its
 * own cache (the hub sees every file fetched once per node), the leader starts only once both have them,
 * and chats are answered by the stand-in vLLM parts. A download that fails on the worker's node only makes
 * the replica's error name that node, and the replica runs once that node can download again. With the hub
 * gone, a replica whose nodes hold the files starts again without it.
 */
class MultiNodeHubDownloadTest {

  private static final String COMMIT = "7ae557604adf67be50417f59c2c2f167def9a775";
  private static final List<String> FILES = List.of("config.json", "tokenizer.json", "model.safetensors");
  /** The files only nodes fetch whole ({@code config.json} is also read once when the model is saved, for its estimate). */
  private static final List<String> WEIGHTS = List.of("tokenizer.json", "model.safetensors");

  private static Path engines;
  private static TestNodes nodes;
  private static Api admin;
  private static Api inference;

  @BeforeAll
  static void start() throws Exception {
    engines = TestFiles.tempDir("gantry-multinode-hub-");
    StandInEngine.install(engines, "vllm", "0.12.0");
    nodes = TestNodes.startWith(2, "--engines-dir", engines.toString());
    admin = nodes.admin(1);
    inference = nodes.api(2).withKey(admin.createKey("multinode-hub", "inference").getString("value"));
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
    TestFiles.deleteRecursively(engines);
  }

  /** A safetensors repo on the fake hub. */
  private static String newRepo(FakeHub hub) {
    String repo = "org" + Ids.random(6).toLowerCase(java.util.Locale.ROOT) + "/Qwen-Split";
    hub.add(repo, COMMIT, repoFiles(), false);
    return repo;
  }

  /** 1.4 times a node's RAM: no node holds it, two halves fit (each node keeps 2 GiB for itself). */
  private static long tooLargeForOneNode() {
    long ram = Api.expect(admin.get("/v2/nodes/" + nodes.name(1)), 200).getJsonObject("memory").getLong("total");
    assertThat(ram).as("two halves must fit beside the 2 GiB each node keeps").isGreaterThan(7L << 30);
    return ram * 14 / 10;
  }

  private static JsonObject hubModel(String name, String repo, FakeHub hub) {
    return new JsonObject().put("name", name).put("source", "huggingface").put("repo", repo)
        .put("hub_endpoint", hub.endpoint()).put("backend", "vllm").put("backend_version", "0.12.0")
        .put("estimate_override_bytes", tooLargeForOneNode());
  }

  private static void deleteModel(long id, String name) {
    Api.expect(admin.delete("/v2/models/" + id), 204);
    Eventually.await(Duration.ofSeconds(30), () -> assertThat(Api.expect(admin.get("/v2/model-instances?model_name="
        + name), 200).getJsonArray("items")).isEmpty());
  }

  private static JsonObject instance(String model) {
    List<JsonObject> items = Api.expect(admin.get("/v2/model-instances?model_name=" + model), 200).getJsonArray("items")
        .stream().map(JsonObject.class::cast).toList();
    assertThat(items).hasSize(1);
    return items.get(0);
  }

  private static JsonObject awaitBothPartsRunning(String model) {
    Eventually.await(Duration.ofSeconds(90), () -> {
      JsonObject i = instance(model);
      assertThat(i.getString("state")).as("%s", i).isEqualTo("running");
      assertThat(i.getJsonArray("parts").stream().map(JsonObject.class::cast).map(p -> p.getString("state")))
          .as("%s", i).containsExactly("running", "running");
    });
    return instance(model);
  }

  private static void chats(String model) {
    Api.Response answer = inference.post("/v1/chat/completions", new JsonObject().put("model", model)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))));
    assertThat(answer.status()).as("%s", answer).isEqualTo(200);
    assertThat(answer.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
        .isEqualTo(StandInEngine.REPLY);
  }

  /** The complete cached files of {@code repo} on {@code node}, by path. */
  private static List<String> cachedOn(String node, String repo) {
    return Api.expect(admin.get("/v2/model-files"), 200).getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(f -> node.equals(f.getString("node_name")) && f.getBoolean("complete", false)
            && repo.equals(f.getString("repo")))
        .map(f -> f.getString("path")).sorted().toList();
  }

  private static Path dataDir(int node) {
    List<String> args = nodes.args(node);
    return Path.of(args.get(args.indexOf("--data-dir") + 1));
  }

  @Test
  void eachPartsNodeDownloadsTheFilesOnceIntoItsOwnCacheBeforeTheLeaderStarts() {
    FakeHub hub = new FakeHub();  // closed in the test: the model then starts offline
    String repo = newRepo(hub);
    String name = "hub-split-" + Ids.random(6);
    SseClient watch = SseClient.watch(admin, "/v2/model-instances?watch=true");
    long id = Api.expect(admin.post("/v2/models", hubModel(name, repo, hub)), 201).getLong("id");
    try {
      JsonObject running = awaitBothPartsRunning(name);
      JsonObject leader = running.getJsonArray("parts").getJsonObject(0);
      JsonObject worker = running.getJsonArray("parts").getJsonObject(1);
      assertThat(worker.getString("node_name")).isNotEqualTo(leader.getString("node_name"));
      chats(name);

      for (String file : WEIGHTS) {
        assertThat(hub.wholeFileDownloads(file)).as("%s: one download per node, two nodes", file).isEqualTo(2);
      }
      for (int n = 1; n <= 2; n++) {
        String node = nodes.name(n);
        Eventually.await(Duration.ofSeconds(10), () -> assertThat(cachedOn(node, repo)).as("cache of %s", node)
            .containsExactlyInAnyOrderElementsOf(FILES));
        Path inCache = dataDir(n).resolve("model-cache/huggingface").resolve(repo).resolve(COMMIT);
        for (String file : FILES) {
          assertThat(inCache.resolve(file)).as("on %s", node).isRegularFile();
        }
      }

      List<JsonObject> seen = watch.received().stream().filter(e -> e.data() != null && e.data().contains(name))
          .map(SseClient.Event::json).toList();
      assertThat(seen.stream().map(i -> i.getString("state")).distinct().toList()).as("states seen through the watch")
          .containsSubsequence("downloading", "starting", "running");
      JsonObject leaderStarted = seen.stream().filter(i -> "starting".equals(i.getString("state"))).findFirst()
          .orElseThrow();
      assertThat(leaderStarted.getJsonArray("parts").stream().map(JsonObject.class::cast)
          .map(p -> p.getBoolean("files_ready", false))).as("the leader starts once every part holds the files: %s",
              leaderStarted).containsExactly(true, true);
      assertThat(seen.stream().filter(i -> "downloading".equals(i.getString("state")))
          .map(i -> i.getJsonObject("download")).filter(d -> d != null).map(d -> d.getLong("total_bytes")))
          .as("the instance's download sums both nodes' files").isNotEmpty()
          .allSatisfy(total -> assertThat(total).isEqualTo(2 * totalBytes()));

      String workerNode = worker.getString("node_name");
      JsonObject workersWeights = Api.expect(admin.get("/v2/model-files"), 200).getJsonArray("items").stream()
          .map(JsonObject.class::cast).filter(f -> workerNode.equals(f.getString("node_name"))
              && repo.equals(f.getString("repo")) && "model.safetensors".equals(f.getString("path")))
          .findFirst().orElseThrow();
      Api.Response inUse = admin.delete("/v2/model-files/" + workersWeights.getString("id"));
      assertThat(inUse.status()).as("the worker's part uses it: %s", inUse.body()).isEqualTo(409);
      assertThat(inUse.json().getString("message")).contains(name);

      // offline: with the hub gone, both nodes start their parts from their caches
      hub.close();
      Api.expect(admin.patch("/v2/models/" + name, new JsonObject().put("replicas", 0)), 200);
      Eventually.await(Duration.ofSeconds(30), () -> assertThat(Api.expect(admin.get("/v2/model-instances?model_name="
          + name), 200).getJsonArray("items")).isEmpty());
      Api.expect(admin.patch("/v2/models/" + name, new JsonObject().put("replicas", 1)), 200);
      awaitBothPartsRunning(name);
      chats(name);
    } finally {
      watch.close();
      deleteModel(id, name);
    }
  }

  @Test
  void aDownloadFailingOnTheWorkersNodeOnlyIsTheReplicasErrorNamingThatNode() throws Exception {
    // a small replica on node 2 first: with one claim more there, node 1 is chosen first, the leader
    String anchor = "anchor-" + Ids.random(6);
    Path weights = Files.createDirectories(engines.resolve("weights/anchor"));
    Files.writeString(weights.resolve("config.json"), "{}");
    long anchorId = Api.expect(admin.post("/v2/models", new JsonObject().put("name", anchor).put("backend", "vllm")
        .put("backend_version", "0.12.0").put("local_path", weights.toString()).put("estimate_override_bytes", 64L << 20)
        .put("node_selector", new JsonObject().put("index", "2"))), 201).getLong("id");
    FakeHub hub = new FakeHub();
    String repo = newRepo(hub);
    String name = "hub-split-fail-" + Ids.random(6);
    // node 2's cache cannot hold this repo: a file stands where its folder would be
    Path blocked = dataDir(2).resolve("model-cache/huggingface").resolve(repo.substring(0, repo.indexOf('/')));
    Files.createDirectories(blocked.getParent());
    Files.writeString(blocked, "not a folder");
    try {
      Eventually.await(Duration.ofSeconds(60), () -> assertThat(instance(anchor).getString("state")).isEqualTo("running"));
      long id = Api.expect(admin.post("/v2/models", hubModel(name, repo, hub)), 201).getLong("id");
      try {
        String worker = nodes.name(2);
        // the second failure (its retry waits 10 s): the leader has had time to start had it not waited
        Eventually.await(Duration.ofSeconds(60), () -> {
          JsonObject i = instance(name);
          assertThat(i.getString("state")).as("%s", i).isEqualTo("error");
          assertThat(i.getString("state_message")).as("%s", i)
              .startsWith("part 1 on " + worker + ": download failed on " + worker + ": ")
              .endsWith("; trying again in 10 s");
          JsonObject leaderPart = i.getJsonArray("parts").getJsonObject(0);
          assertThat(leaderPart.getString("node_name")).isEqualTo(nodes.name(1));
          assertThat(leaderPart.getBoolean("files_ready", false)).as("the leader's node has its files: %s", i).isTrue();
          assertThat(leaderPart.getLong("pid")).as("the leader does not start without the worker's files").isNull();
          assertThat(i.getJsonArray("parts").getJsonObject(1).getString("state")).isEqualTo("error");
        });
        for (String file : WEIGHTS) {
          assertThat(hub.wholeFileDownloads(file)).as("%s: only the leader's node got it", file).isEqualTo(1);
        }

        Files.delete(blocked);
        awaitBothPartsRunning(name);
        chats(name);
        assertThat(cachedOn(worker, repo)).containsExactlyInAnyOrderElementsOf(FILES);
      } finally {
        deleteModel(id, name);
      }
    } finally {
      if (Files.isRegularFile(blocked)) {
        Files.delete(blocked);
      }
      deleteModel(anchorId, anchor);
      hub.close();
    }
  }

  private static long totalBytes() {
    return repoFiles().values().stream().mapToLong(b -> b.length).sum();
  }

  private static Map<String, byte[]> repoFiles() {
    return Map.of(
        "config.json", PublishedShapes.qwenConfig().encode().getBytes(),
        "tokenizer.json", "{\"model\":{}}".getBytes(),
        "model.safetensors", PublishedShapes.fileHead(PublishedShapes.header(PublishedShapes.qwen(), 0)));
  }
}
