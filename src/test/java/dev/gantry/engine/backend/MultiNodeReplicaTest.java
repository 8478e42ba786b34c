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
 * A replica too large for any one node of a 3-node cluster runs over two of them: every node's part is a
 * real stand-in vLLM 0.12.0 process ({@link StandInEngine}) started with its rank, the worker really
 * connects to the leader's rendezvous address and the leader answers its health only once it has; chats go
 * through the gateway to the leader; killing the worker's process restarts the whole replica.
 */
class MultiNodeReplicaTest {

  private static Path engines;
  private static Path weights;
  private static TestNodes nodes;
  private static Api admin;
  private static Api inference;

  @BeforeAll
  static void start() throws Exception {
    engines = TestFiles.tempDir("gantry-multinode-");
    StandInEngine.install(engines, "vllm", "0.12.0");
    StandInEngine.install(engines, "vllm", "0.11.2");
    StandInEngine.install(engines, "sglang", "0.5.4.post3");
    weights = Files.createDirectories(engines.resolve("weights/qwen-large"));
    Files.writeString(weights.resolve("config.json"), "{}");
    nodes = TestNodes.startWith(3, "--engines-dir", engines.toString());
    admin = nodes.admin(1);
    inference = nodes.api(3).withKey(admin.createKey("multinode", "inference").getString("value"));
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
    TestFiles.deleteRecursively(engines);
  }

  /** 1.4 times a node's RAM: no node holds it, two halves fit (each node keeps 2 GiB for itself). */
  private static long tooLargeForOneNode() {
    long ram = Api.expect(admin.get("/v2/nodes/" + nodes.name(1)), 200).getJsonObject("memory").getLong("total");
    assertThat(ram).as("two halves must fit beside the 2 GiB each node keeps").isGreaterThan(7L << 30);
    return ram * 14 / 10;
  }

  /**
   * Creates the model, runs {@code body}, and deletes the model: each replica over two nodes claims most of
   * two nodes' RAM, so the next test's replica fits only once this one's claims are gone.
   */
  private static void withModel(JsonObject spec, Runnable body) {
    long id = Api.expect(admin.post("/v2/models", spec), 201).getLong("id");
    try {
      body.run();
    } finally {
      Api.expect(admin.delete("/v2/models/" + id), 204);
      Eventually.await(Duration.ofSeconds(30), () -> assertThat(Api.expect(admin.get("/v2/model-instances?model_name="
          + spec.getString("name")), 200).getJsonArray("items")).isEmpty());
    }
  }

  private static JsonObject instance(String model) {
    List<JsonObject> items = Api.expect(admin.get("/v2/model-instances?model_name=" + model), 200).getJsonArray("items")
        .stream().map(JsonObject.class::cast).toList();
    assertThat(items).hasSize(1);
    return items.get(0);
  }

  private static JsonObject awaitBothPartsRunning(String model, int generation) {
    Eventually.await(Duration.ofSeconds(90), () -> {
      JsonObject i = instance(model);
      assertThat(i.getString("state")).as("%s", i).isEqualTo("running");
      assertThat(i.getInteger("generation")).isEqualTo(generation);
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

  @Test
  void aReplicaNoNodeHoldsRunsOverTwoNodesAndLosingAPartRestartsTheWholeReplica() {
    String model = "vllm-large";
    withModel(new JsonObject().put("name", model).put("backend", "vllm").put("backend_version", "0.12.0")
        .put("local_path", weights.toString()).put("estimate_override_bytes", tooLargeForOneNode()), () -> {
      JsonObject running = awaitBothPartsRunning(model, 0);
      JsonObject leader = running.getJsonArray("parts").getJsonObject(0);
      JsonObject worker = running.getJsonArray("parts").getJsonObject(1);
      assertThat(leader.getString("role")).isEqualTo("leader");
      assertThat(worker.getString("role")).isEqualTo("worker");
      assertThat(worker.getString("node_name")).isNotEqualTo(leader.getString("node_name"));
      assertThat(running.getString("node_name")).as("the gateway routes to the leader").isEqualTo(leader.getString("node_name"));
      assertThat(running.getString("state_message")).isNull();
      String log = admin.get("/v2/model-instances/" + running.getString("id") + "/logs").body();
      assertThat(log).as("the worker joined the leader's rendezvous address")
          .contains("rank 0 waiting for 1 ranks on " + leader.getString("address") + ":" + leader.getInteger("rendezvous_port"))
          .contains("rank 1 joined from");
      chats(model);

      ProcessHandle.of(worker.getLong("pid")).orElseThrow().destroyForcibly();

      String expected = "part 1 on " + worker.getString("node_name") + " exited (code 137); restarting the replica";
      JsonObject again = awaitBothPartsRunning(model, 1);
      assertThat(again.getString("last_restart_reason")).isEqualTo(expected);
      assertThat(again.getJsonArray("parts").getJsonObject(1).getLong("pid")).isNotEqualTo(worker.getLong("pid"));
      assertThat(again.getJsonArray("parts").getJsonObject(0).getLong("pid")).as("the leader was restarted too")
          .isNotEqualTo(leader.getLong("pid"));
      chats(model);
    });
  }

  @Test
  void sglangPartsMeetAtTheLeadersDistInitAddress() {
    String model = "sglang-large";
    withModel(new JsonObject().put("name", model).put("backend", "sglang")
        .put("local_path", weights.toString()).put("estimate_override_bytes", tooLargeForOneNode()), () -> {
      JsonObject running = awaitBothPartsRunning(model, 0);
      JsonObject leader = running.getJsonArray("parts").getJsonObject(0);
      assertThat(admin.get("/v2/model-instances/" + running.getString("id") + "/logs").body())
          .contains("rank 0 waiting for 1 ranks on " + leader.getString("address") + ":" + leader.getInteger("rendezvous_port"))
          .contains("rank 1 joined from");
      chats(model);
    });
  }

  @Test
  void aVllmOlderThanTheMultiprocessRendezvousIsTheInstancesErrorNamingTheVersion() {
    String model = "vllm-old-large";
    withModel(new JsonObject().put("name", model).put("backend", "vllm").put("backend_version", "0.11.2")
        .put("local_path", weights.toString()).put("estimate_override_bytes", tooLargeForOneNode()),
        () -> Eventually.await(Duration.ofSeconds(60), () -> {
          JsonObject i = instance(model);
          assertThat(i.getString("state")).isEqualTo("error");
          assertThat(i.getString("state_message")).contains("vllm 0.11.2 runs one replica over several nodes only on a"
              + " Ray cluster", "choose backend_version 0.12.0 or newer");
        }));
  }

  @Test
  void aReplicaTooLargeForOneNodeWithDistributedOffStaysPending() {
    String model = "vllm-large-off";
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", model).put("backend", "vllm")
        .put("local_path", weights.toString()).put("distributed", "off")
        .put("estimate_override_bytes", tooLargeForOneNode())), 201);
    Eventually.await(Duration.ofSeconds(30), () -> assertThat(instance(model).getString("state_message"))
        .contains("it does not fit one node and distributed is off"));
    assertThat(instance(model).getString("state")).isEqualTo("pending");
    Api.Response refused = admin.post("/v2/models", new JsonObject().put("name", "vllm-bad").put("backend", "vllm")
        .put("local_path", weights.toString()).put("distributed", "always"));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body()).contains("distributed");
  }
}
