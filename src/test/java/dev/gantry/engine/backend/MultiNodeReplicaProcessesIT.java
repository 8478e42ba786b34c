package dev.gantry.engine.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.ProcessCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A replica too large for any one node of a cluster of three real node processes, each on an address of its
 * own ({@code 127.0.0.1..3}, {@link ProcessCluster#withLoopbackAddresses()}), runs over two of them: each part is
 * a stand-in engine process ({@link StandInEngine}: vLLM 0.12.0 with {@code --node-rank}, MindIE 2.3.0 finding
 * its rank in the rank table by its node's address) started by its own node, the worker really connects to
 * the leader's rendezvous address, chats through the third node's gateway reach the leader, and a
 * {@code kill -9} of the worker's engine restarts the whole replica. The in-JVM counterpart is
 * {@link MultiNodeReplicaTest}.
 */
@DisplayName("A replica over two of three real node processes")
class MultiNodeReplicaProcessesIT {

  private static final int NODES = 3;
  private static final String PASSWORD = "multinode-Admin-pw-9";

  private static final String VLLM_MODEL = "vllm-large";
  private static final String MINDIE_MODEL = "mindie-large";

  private static Path engines;
  private static Path weights;

  @RegisterExtension
  static final ProcessCluster cluster = ProcessCluster.of("multinode", NODES, PASSWORD).withLoopbackAddresses()
      .withEnginePorts(48000).withArgs(i -> List.of("--engines-dir", engines.toString()));
  private static Api admin;
  private static String key;

  @BeforeAll
  static void startCluster() throws Exception {
    engines = cluster.workDir().resolve("engines");
    StandInEngine.installForProcesses(engines, "vllm", "0.12.0");
    StandInEngine.installForProcesses(engines, "mindie", "2.3.0");
    weights = Files.createDirectories(cluster.workDir().resolve("weights/qwen-large"));
    Files.writeString(weights.resolve("config.json"), "{}");
    cluster.start(Duration.ofSeconds(180));
    admin = cluster.admin(1);
    key = admin.createKey("multinode", "inference").getString("value");
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
    standIns().forEach(ProcessHandle::destroyForcibly);
  }

  /** A test that failed half-way leaves no model holding two nodes' memory for the next one. */
  @AfterEach
  void deleteModelsLeft() {
    for (String model : List.of(VLLM_MODEL, MINDIE_MODEL)) {
      admin.delete("/v2/models/" + model);
    }
  }

  private static String name(int i) {
    return cluster.name(i);
  }

  private static String url(int i) {
    return cluster.url(i);
  }

  /** 1.4 times a node's RAM: no node holds it, two halves fit (each node keeps 2 GiB for itself). */
  private static long tooLargeForOneNode() {
    long ram = Api.expect(admin.get("/v2/nodes/" + name(1)), 200).getJsonObject("memory").getLong("total");
    assertThat(ram).as("two halves must fit beside the 2 GiB each node keeps").isGreaterThan(7L << 30);
    return ram * 14 / 10;
  }

  private static JsonObject instance(String model) {
    JsonArray items = Api.expect(admin.get("/v2/model-instances?model_name=" + model), 200).getJsonArray("items");
    assertThat(items).hasSize(1);
    return items.getJsonObject(0);
  }

  private static JsonObject awaitBothPartsRunning(String model, int generation) {
    Eventually.await(Duration.ofSeconds(180), () -> {
      JsonObject i = instance(model);
      assertThat(i.getString("state")).as("%s", i).isEqualTo("running");
      assertThat(i.getInteger("generation")).as("%s", i).isEqualTo(generation);
      assertThat(i.getJsonArray("parts").stream().map(JsonObject.class::cast).map(p -> p.getString("state")))
          .as("%s", i).containsExactly("running", "running");
    });
    return instance(model);
  }

  private static void chatsThrough(int node, String model) {
    Api.Response answer = new Api(url(node)).withKey(key).post("/v1/chat/completions", new JsonObject().put("model", model)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))));
    assertThat(answer.status()).as("%s", answer).isEqualTo(200);
    assertThat(answer.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
        .isEqualTo(StandInEngine.REPLY);
  }

  /** Stand-in engine processes (the JVMs the engines folder's scripts exec) on this machine, where every node runs. */
  private static List<ProcessHandle> standIns() {
    String args = engines == null ? null : engines.toString();
    return ProcessHandle.allProcesses().filter(p -> args != null && cmdline(p.pid()).contains(args)
        && cmdline(p.pid()).contains("java.args")).toList();
  }

  /** The stand-in engine under a part's process (Gantry's wrapper shell). */
  private static ProcessHandle engineUnder(long wrapperPid) {
    return ProcessHandle.of(wrapperPid).orElseThrow(() -> new AssertionError("no process " + wrapperPid)).descendants()
        .filter(p -> cmdline(p.pid()).contains("java.args")).findFirst()
        .orElseThrow(() -> new AssertionError("no engine process under " + wrapperPid));
  }

  private static String cmdline(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "";
    }
  }

  @Test
  @DisplayName("a vLLM replica runs over two nodes whose parts rendezvous at the leader's address, answers through "
      + "the third node's gateway, and a kill -9 of the worker's engine restarts the whole replica naming the part")
  void aVllmReplicaOverTwoNodeProcessesRestartsWhenAPartIsKilled() {
    overTwoNodesAnsweringAndRestarting(VLLM_MODEL, "vllm", "0.12.0", (leader, worker) -> List.of(
        "rank 0 waiting for 1 ranks on " + leader.getString("address") + ":" + leader.getInteger("rendezvous_port"),
        "rank 1 joined from"));
  }

  @Test
  @DisplayName("a MindIE replica runs over two nodes whose servers find their rank in the rank table by their node's "
      + "address, the worker joining the leader from its own address, and restarts whole when the worker's engine dies")
  void aMindieReplicaOverTwoNodeProcessesRestartsWhenAPartIsKilled() {
    overTwoNodesAnsweringAndRestarting(MINDIE_MODEL, "mindie", "2.3.0", (leader, worker) -> List.of(
        "server " + leader.getString("address") + " is rank 0 of 2",
        "rank 0 waiting for 1 ranks on " + leader.getString("address") + ":" + leader.getInteger("rendezvous_port"),
        "rank 1 joined from /" + worker.getString("address") + ":"));
  }

  /**
   * The scenario both engines go through; {@code leaderLog} answers what the leader's log must hold given the
   * running leader and worker parts.
   */
  private static void overTwoNodesAnsweringAndRestarting(String model, String backend, String version,
      BiFunction<JsonObject, JsonObject, List<String>> leaderLog) {
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", model).put("backend", backend)
        .put("backend_version", version).put("local_path", weights.toString())
        .put("estimate_override_bytes", tooLargeForOneNode())), 201);
    JsonObject running = awaitBothPartsRunning(model, 0);
    JsonObject leader = running.getJsonArray("parts").getJsonObject(0);
    JsonObject worker = running.getJsonArray("parts").getJsonObject(1);
    assertThat(leader.getString("role")).isEqualTo("leader");
    assertThat(worker.getString("role")).isEqualTo("worker");
    assertThat(worker.getString("node_name")).isNotEqualTo(leader.getString("node_name"));
    assertThat(worker.getString("address")).as("each node has an address of its own")
        .isEqualTo(cluster.host(cluster.number(worker.getString("node_name"))))
        .isNotEqualTo(leader.getString("address"));
    assertThat(running.getString("node_name")).as("the gateway routes to the leader").isEqualTo(leader.getString("node_name"));
    String log = admin.get("/v2/model-instances/" + running.getString("id") + "/logs").body();
    assertThat(log).as("the worker joined the leader's rendezvous address").contains(leaderLog.apply(leader, worker));
    int third = IntStream.rangeClosed(1, NODES).filter(i -> i != cluster.number(leader.getString("node_name"))
        && i != cluster.number(worker.getString("node_name"))).findFirst().orElseThrow();
    chatsThrough(third, model);

    ProcessHandle workerEngine = engineUnder(worker.getLong("pid"));
    workerEngine.destroyForcibly();

    JsonObject again = awaitBothPartsRunning(model, 1);
    assertThat(again.getString("last_restart_reason"))
        .isEqualTo("part 1 on " + worker.getString("node_name") + " exited (code 137); restarting the replica");
    assertThat(again.getJsonArray("parts").getJsonObject(1).getLong("pid")).isNotEqualTo(worker.getLong("pid"));
    assertThat(again.getJsonArray("parts").getJsonObject(0).getLong("pid")).as("the leader was restarted too")
        .isNotEqualTo(leader.getLong("pid"));
    assertThat(workerEngine.isAlive()).isFalse();
    chatsThrough(third, model);

    Api.expect(admin.delete("/v2/models/" + model), 204);
    Eventually.await(Duration.ofSeconds(60), () -> assertThat(standIns()).as("engine processes left").isEmpty());
  }
}
