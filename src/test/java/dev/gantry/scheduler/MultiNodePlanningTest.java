package dev.gantry.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.cluster.InstancePart;
import dev.gantry.cluster.InstanceState;
import dev.gantry.cluster.ModelInstance;
import dev.gantry.cluster.NodeRecord;
import dev.gantry.scheduler.placement.Placement;
import dev.gantry.scheduler.placement.PlacementConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scheduler's side of replicas over several nodes: when it splits one, how, and what it says when it does not. */
class MultiNodePlanningTest {

  private static final long GIB = 1L << 30;
  private static final Instant NOW = Instant.parse("2026-12-01T04:00:00Z");
  private final ReplicaPlanner planner = new ReplicaPlanner(new Placement(new PlacementConfig(0, 0, 5)),
      model -> model.getInteger("devices_per_replica", 0) > 0 ? new Estimate(GIB, model.getLong("need"), "test")
          : new Estimate(model.getLong("need"), 0, "test"), Duration.ofSeconds(30));

  private static JsonObject model(String name, String backend, long need) {
    return new JsonObject().put("id", 1L).put("name", name).put("backend", backend).put("replicas", 1)
        .put("placement_strategy", "spread").put("need", need);
  }

  private static NodeRecord node(String name, long memory, int gpus, long gpuMemory) {
    JsonArray devices = new JsonArray();
    for (int i = 0; i < gpus; i++) {
      devices.add(new JsonObject().put("id", name + ":cuda:" + i).put("type", "cuda").put("name", "H100")
          .put("memory_total", gpuMemory));
    }
    return NodeRecord.fromJson(new JsonObject().put("name", name).put("state", "ready").put("address", "10.0.0." + name.charAt(1))
        .put("started_at", NOW.toString()).put("heartbeat_at", NOW.toString())
        .put("cpu", new JsonObject().put("cores", 8)).put("memory", new JsonObject().put("total", memory))
        .put("labels", new JsonObject()).put("devices", devices));
  }

  private static List<NodeRecord> threeCpuNodes() {
    return List.of(node("n1", 16 * GIB, 0, 0), node("n2", 16 * GIB, 0, 0), node("n3", 16 * GIB, 0, 0));
  }

  private ModelInstance placeOnly(JsonObject model, List<NodeRecord> nodes) {
    ReplicaPlan plan = planner.plan(List.of(model), List.of(), nodes, NOW);
    assertThat(plan.changed()).hasSize(1);
    return plan.changed().values().iterator().next();
  }

  @Test
  void aReplicaThatFitsOneNodeStaysOnOneNode() {
    ModelInstance placed = placeOnly(model("small", "vllm", 10 * GIB), threeCpuNodes());
    assertThat(placed.state()).isEqualTo(InstanceState.SCHEDULED);
    assertThat(placed.parts()).isEmpty();
    assertThat(placed.claim().ram()).isEqualTo(10 * GIB);
  }

  @Test
  void aReplicaNoNodeHoldsRunsOverTheFewestNodesEachTakingAnEqualShare() {
    ModelInstance placed = placeOnly(model("large", "vllm", 24 * GIB), threeCpuNodes());
    assertThat(placed.state()).isEqualTo(InstanceState.SCHEDULED);
    assertThat(placed.parts()).extracting(InstancePart::rank, InstancePart::node, InstancePart::role)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(0, "n1", "leader"),
            org.assertj.core.groups.Tuple.tuple(1, "n2", "worker"));
    assertThat(placed.parts()).allSatisfy(p -> assertThat(p.claim().ram()).isEqualTo(12 * GIB));
    assertThat(placed.nodeName()).as("the gateway routes to the leader").isEqualTo("n1");
    assertThat(placed.address()).isEqualTo("10.0.0.1");
    assertThat(placed.stateMessage()).contains("placed over 2 nodes (n1, n2; leader n1)");
    assertThat(placed.parts().get(1).address()).isEqualTo("10.0.0.2");
  }

  @Test
  void onDevicesEachNodeTakesItsShareOnTheReplicasDevicesPerReplica() {
    JsonObject model = model("gpu-large", "sglang", 100 * GIB).put("devices_per_replica", 2);
    List<NodeRecord> nodes = List.of(node("n1", 256 * GIB, 2, 64 * GIB), node("n2", 256 * GIB, 2, 64 * GIB));
    ModelInstance placed = placeOnly(model, nodes);
    assertThat(placed.parts()).hasSize(2);
    assertThat(placed.parts().get(0).deviceIds()).containsExactly("n1:cuda:0", "n1:cuda:1");
    assertThat(placed.parts().get(1).deviceIds()).containsExactly("n2:cuda:0", "n2:cuda:1");
    assertThat(placed.parts()).allSatisfy(p -> assertThat(p.claim().memoryPerDevice()).isEqualTo(50 * GIB));
  }

  @Test
  void aReplicaNeedingMoreDevicesThanAnyNodeHasTakesAnEqualShareOfItsDevicesOnEachNode() {
    JsonObject model = model("four-way", "vllm", 40 * GIB).put("devices_per_replica", 4);
    List<NodeRecord> nodes = List.of(node("n1", 256 * GIB, 2, 80 * GIB), node("n2", 256 * GIB, 2, 80 * GIB),
        node("n3", 256 * GIB, 2, 80 * GIB));
    ModelInstance placed = placeOnly(model, nodes);
    assertThat(placed.state()).isEqualTo(InstanceState.SCHEDULED);
    assertThat(placed.parts()).as("4 devices as 2 nodes × 2, not 3 nodes").hasSize(2);
    assertThat(placed.parts().get(0).deviceIds()).containsExactly("n1:cuda:0", "n1:cuda:1");
    assertThat(placed.parts().get(1).deviceIds()).containsExactly("n2:cuda:0", "n2:cuda:1");
    assertThat(placed.parts()).as("each device holds what it would hold on one node of 4")
        .allSatisfy(p -> assertThat(p.claim().memoryPerDevice()).isEqualTo(40 * GIB));
    assertThat(placed.stateMessage()).contains("placed over 2 nodes");
  }

  @Test
  void devicesThatDoNotDivideEvenlyAmongTwoNodesGoOverThreeOfOneDeviceEach() {
    JsonObject model = model("three-way", "sglang", 60 * GIB).put("devices_per_replica", 3);
    List<NodeRecord> nodes = List.of(node("n1", 256 * GIB, 2, 80 * GIB), node("n2", 256 * GIB, 2, 80 * GIB),
        node("n3", 256 * GIB, 2, 80 * GIB));
    ModelInstance placed = placeOnly(model, nodes);
    assertThat(placed.parts()).extracting(InstancePart::node).containsExactly("n1", "n2", "n3");
    assertThat(placed.parts()).allSatisfy(p -> {
      assertThat(p.deviceIds()).hasSize(1);
      assertThat(p.claim().memoryPerDevice()).isEqualTo(60 * GIB);
    });
  }

  @Test
  void aDeviceShareThatStillDoesNotFitTheDevicesFallsBackToAMemoryShare() {
    JsonObject model = model("wide", "vllm", 100 * GIB).put("devices_per_replica", 2);
    List<NodeRecord> nodes = List.of(node("n1", 256 * GIB, 2, 64 * GIB), node("n2", 256 * GIB, 2, 64 * GIB));
    ModelInstance placed = placeOnly(model, nodes);
    assertThat(placed.parts()).as("1 device of 100 GiB fits no 64 GiB device; 2 devices of 50 GiB do")
        .allSatisfy(p -> {
          assertThat(p.deviceIds()).hasSize(2);
          assertThat(p.claim().memoryPerDevice()).isEqualTo(50 * GIB);
        });
  }

  @Test
  void moreDevicesThanTheWholeClusterHasStaysPendingNamingTheDeviceCount() {
    JsonObject model = model("too-wide", "vllm", 40 * GIB).put("devices_per_replica", 8);
    List<NodeRecord> nodes = List.of(node("n1", 256 * GIB, 2, 80 * GIB), node("n2", 256 * GIB, 2, 80 * GIB));
    ModelInstance pending = placeOnly(model, nodes);
    assertThat(pending.state()).isEqualTo(InstanceState.PENDING);
    assertThat(pending.parts()).isEmpty();
    assertThat(pending.stateMessage()).contains("nor over several nodes");
  }

  @Test
  void withDistributedOffItStaysPendingSayingItDoesNotFitOneNode() {
    ModelInstance pending = placeOnly(model("large-off", "vllm", 24 * GIB).put("distributed", "off"), threeCpuNodes());
    assertThat(pending.state()).isEqualTo(InstanceState.PENDING);
    assertThat(pending.parts()).isEmpty();
    assertThat(pending.stateMessage()).contains("n1 needs 24.0 GiB RAM")
        .contains("it does not fit one node and distributed is off");
  }

  @Test
  void aBackendWithoutMultiNodeStaysPendingNamingTheBackend() {
    for (String backend : List.of("llama.cpp", "builtin", "custom")) {
      ModelInstance pending = placeOnly(model("large-" + backend, backend, 24 * GIB), threeCpuNodes());
      assertThat(pending.state()).isEqualTo(InstanceState.PENDING);
      assertThat(pending.stateMessage()).contains("backend " + backend + " cannot run one replica over several nodes");
    }
  }

  @Test
  void aReplicaTooLargeEvenForAllNodesStaysPendingSayingSo() {
    ModelInstance pending = placeOnly(model("huge", "vllm", 100 * GIB), threeCpuNodes());
    assertThat(pending.state()).isEqualTo(InstanceState.PENDING);
    assertThat(pending.stateMessage()).contains("nor over several nodes");
  }

  @Test
  void thePartsClaimsAreCountedOnEveryNodeTheyHold() {
    ModelInstance large = placeOnly(model("large", "vllm", 24 * GIB), threeCpuNodes());
    ModelInstance running = ModelInstance.fromJson(large.toJson().put("state", "running"));
    ReplicaPlan plan = planner.plan(List.of(model("large", "vllm", 24 * GIB), model("other", "vllm", 10 * GIB)),
        List.of(running), threeCpuNodes(), NOW);
    ModelInstance other = plan.changed().values().stream().filter(i -> i.modelName().equals("other")).findFirst()
        .orElseThrow();
    assertThat(other.nodeName()).as("n1 and n2 have only 4 GiB left").isEqualTo("n3");
  }

  @Test
  void aWorkersNodeLeavingRestartsTheWholeReplicaNamingThePart() {
    ModelInstance large = placeOnly(model("large", "vllm", 24 * GIB), threeCpuNodes());
    ModelInstance running = ModelInstance.fromJson(large.toJson().put("state", "running"));
    List<NodeRecord> withoutN2 = List.of(node("n1", 16 * GIB, 0, 0), node("n3", 16 * GIB, 0, 0));
    ReplicaPlan plan = planner.plan(List.of(model("large", "vllm", 24 * GIB)), List.of(running), withoutN2, NOW);
    ModelInstance after = plan.changed().get(running.id());
    assertThat(MultiNodeReplicas.lostWorker(running, java.util.Map.of("n1", withoutN2.get(0))))
        .isEqualTo("part 1 on n2 lost: its node left the cluster; restarting the replica");
    assertThat(after.restartCount()).isEqualTo(1);
    assertThat(after.parts()).as("the whole replica placed again in the same round, over n1 and n3")
        .extracting(InstancePart::node).containsExactly("n1", "n3");
    assertThat(after.parts()).allSatisfy(p -> assertThat(p.state()).isEqualTo(InstanceState.SCHEDULED));
  }
}
