package dev.gantry.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.cluster.InstanceState;
import dev.gantry.cluster.ModelInstance;
import dev.gantry.cluster.NodeRecord;
import dev.gantry.scheduler.placement.Placement;
import dev.gantry.scheduler.placement.PlacementConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaPlannerTest {

  private static final long GIB = 1L << 30;
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  private final ReplicaPlanner planner = new ReplicaPlanner(new Placement(PlacementConfig.defaults()),
      model -> new Estimate(model.getLong("need", GIB), 0, "test " + model.getLong("need", GIB)), Duration.ofSeconds(30));

  private static JsonObject model(String name, int replicas) {
    return new JsonObject().put("id", 1L).put("name", name).put("backend", "llama.cpp").put("replicas", replicas)
        .put("placement_strategy", "spread");
  }

  private static NodeRecord node(String name, String state, long memory) {
    return NodeRecord.fromJson(new JsonObject().put("name", name).put("state", state)
        .put("address", "10.0.0." + name.length()).put("started_at", NOW.toString()).put("heartbeat_at", NOW.toString())
        .put("cpu", new JsonObject().put("cores", 8)).put("memory", new JsonObject().put("total", memory))
        .put("labels", new JsonObject()).put("devices", new JsonArray()));
  }

  private static ModelInstance instance(String id, String model, String state, String node) {
    return instance(id, model, state, node, null);
  }

  private static ModelInstance instance(String id, String model, String state, String node, Instant unreachableSince) {
    JsonObject instance = new JsonObject().put("id", id).put("name", model + "-" + id).put("model_name", model)
        .put("state", state).put("created_at", NOW.minusSeconds(60).toString());
    if (node != null) {
      instance.put("node_name", node).put("claim", new JsonObject().put("ram", GIB));
    }
    if (unreachableSince != null) {
      instance.put("unreachable_since", unreachableSince.toString());
    }
    return ModelInstance.fromJson(instance);
  }

  private static NodeRecord nodeWith(String name, String type, int count) {
    JsonArray devices = new JsonArray();
    for (int i = 0; i < count; i++) {
      devices.add(new JsonObject().put("id", name + ":" + type + ":" + i).put("type", type).put("name", type)
          .put("memory_total", 64 * GIB));
    }
    return NodeRecord.fromJson(node(name, "ready", 256 * GIB).toJson().put("devices", devices));
  }

  @Test
  void aModelLandsOnlyOnDevicesItsBackendAndVendorAllow() {
    List<NodeRecord> mixed = List.of(nodeWith("n1", "cuda", 2), nodeWith("n2", "cann", 2));
    JsonObject mindie = model("mi", 1).put("backend", "mindie").put("devices_per_replica", 1);
    JsonObject pinned = model("pv", 1).put("backend", "vllm").put("devices_per_replica", 1).put("device_vendor", "nvidia");

    ReplicaPlan plan = planner.plan(List.of(mindie, pinned), List.of(), mixed, NOW);

    assertThat(plan.changed().values()).extracting(ModelInstance::modelName, ModelInstance::nodeName)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("mi", "n2"), org.assertj.core.groups.Tuple.tuple("pv", "n1"));
    ReplicaPlan none = planner.plan(List.of(model("ms", 1).put("backend", "mindie").put("devices_per_replica", 1)),
        List.of(), List.of(nodeWith("n1", "cuda", 2)), NOW);
    assertThat(none.changed().values().iterator().next().stateMessage())
        .isEqualTo("1 node: n1 has no device mindie runs on (mindie runs on ascend only; it has nvidia)");
  }

  @Test
  void createsMissingReplicasAndPlacesThemAcrossNodes() {
    ReplicaPlan plan = planner.plan(List.of(model("m", 2)), List.of(),
        List.of(node("n1", "ready", 16 * GIB), node("n2", "ready", 16 * GIB)), NOW);
    assertThat(plan.created()).hasSize(2);
    assertThat(plan.created()).allSatisfy(i -> {
      assertThat(i.modelName()).isEqualTo("m");
      assertThat(i.toJson().containsKey("secret")).as("engine keys are derived, never stored").isFalse();
    });
    List<String> nodes = new ArrayList<>();
    plan.changed().values().forEach(placed -> nodes.add(placed.nodeName()));
    assertThat(nodes).containsExactlyInAnyOrder("n1", "n2");
    assertThat(plan.changed().values()).allSatisfy(f -> {
      assertThat(f.state()).isEqualTo(InstanceState.SCHEDULED);
      assertThat(f.stateMessage()).startsWith("placed on n").contains("test");
    });
  }

  @Test
  void leavesAReplicaPendingWithANodeByNodeReasonWhenNothingFits() {
    JsonObject big = model("big", 1).put("need", 100 * GIB);
    ReplicaPlan plan = planner.plan(List.of(big), List.of(),
        List.of(node("n1", "ready", 16 * GIB), node("n2", "maintenance", 512 * GIB)), NOW);
    ModelInstance waiting = plan.changed().values().iterator().next();
    assertThat(waiting.state()).isEqualTo(InstanceState.PENDING);
    assertThat(waiting.stateMessage()).contains("n1").contains("n2").contains("maintenance");
  }

  @Test
  void scalesDownRemovingTheLeastUsefulReplicasFirst() {
    List<ModelInstance> instances = List.of(instance("a", "m", "running", "n1"), instance("b", "m", "pending", null),
        instance("c", "m", "error", "n1"));
    ReplicaPlan plan = planner.plan(List.of(model("m", 1)), instances, List.of(node("n1", "ready", 16 * GIB)), NOW);
    assertThat(plan.removed()).containsExactlyInAnyOrder("b", "c");
    assertThat(plan.created()).isEmpty();
  }

  @Test
  void scalingToZeroRemovesEveryReplica() {
    ReplicaPlan plan = planner.plan(List.of(model("m", 0)), List.of(instance("a", "m", "running", "n1")),
        List.of(node("n1", "ready", 16 * GIB)), NOW);
    assertThat(plan.removed()).containsExactly("a");
  }

  @Test
  void removesReplicasOfDeletedModels() {
    ReplicaPlan plan = planner.plan(List.of(), List.of(instance("a", "gone", "running", "n1")),
        List.of(node("n1", "ready", 16 * GIB)), NOW);
    assertThat(plan.removed()).containsExactly("a");
  }

  @Test
  void marksReplicasOfAnUnreachableNodeAtOnceButKeepsThemThroughTheGracePeriod() {
    ReplicaPlan plan = planner.plan(List.of(model("m", 1)), List.of(instance("a", "m", "running", "n1")),
        List.of(node("n1", "unreachable", 16 * GIB), node("n2", "ready", 16 * GIB)), NOW);
    assertThat(plan.removed()).isEmpty();
    assertThat(plan.created()).isEmpty();
    assertThat(plan.changed().get("a").state()).isEqualTo(InstanceState.UNREACHABLE);
    assertThat(plan.changed().get("a").stateMessage()).contains("n1 is unreachable").contains("30 s");
  }

  @Test
  void replacesAnUnreachableReplicaElsewhereAfterTheGracePeriod() {
    ModelInstance lost = instance("a", "m", "unreachable", "n1", NOW.minusSeconds(31));
    ReplicaPlan plan = planner.plan(List.of(model("m", 1)), List.of(lost),
        List.of(node("n1", "unreachable", 16 * GIB), node("n2", "ready", 16 * GIB)), NOW);
    assertThat(plan.removed()).containsExactly("a");
    assertThat(plan.created()).hasSize(1);
    String replacement = plan.created().get(0).id();
    assertThat(plan.changed().get(replacement).nodeName()).isEqualTo("n2");
  }

  @Test
  void restartsAReplicaWhoseNodeCameBackWithinTheGracePeriod() {
    ModelInstance lost = instance("a", "m", "unreachable", "n1", NOW.minusSeconds(5));
    ReplicaPlan plan = planner.plan(List.of(model("m", 1)), List.of(lost), List.of(node("n1", "ready", 16 * GIB)), NOW);
    assertThat(plan.changed().get("a").state()).isEqualTo(InstanceState.SCHEDULED);
    assertThat(plan.removed()).isEmpty();
  }

  @Test
  void countsExistingClaimsSoTwoReplicasNeverOversubscribeANode() {
    JsonObject model = model("m", 3).put("need", 6 * GIB);
    ReplicaPlan plan = planner.plan(List.of(model), List.of(), List.of(node("n1", "ready", 16 * GIB)), NOW);
    long placed = plan.changed().values().stream().filter(f -> f.state() == InstanceState.SCHEDULED).count();
    long pending = plan.changed().values().stream().filter(f -> f.state() == InstanceState.PENDING).count();
    assertThat(placed).isEqualTo(2);
    assertThat(pending).isEqualTo(1);
  }

  @Test
  void aSettledClusterNeedsNoChanges() {
    ModelInstance placed = instance("a", "m", "running", "n1");
    ReplicaPlan plan = planner.plan(List.of(model("m", 1)), List.of(placed), List.of(node("n1", "ready", 16 * GIB)), NOW);
    assertThat(plan.isEmpty()).isTrue();
  }

  @Test
  void aStoppingNodesReplicaKeepsServingWhileItsReplacementIsPlacedElsewhere() {
    ModelInstance serving = instance("a", "m", "running", "n1");
    ReplicaPlan plan = planner.plan(List.of(model("m", 1)), List.of(serving),
        List.of(node("n1", "stopping", 16 * GIB), node("n2", "ready", 16 * GIB)), NOW);
    assertThat(plan.removed()).as("the old replica serves until its node stops it").isEmpty();
    assertThat(plan.created()).hasSize(1);
    assertThat(plan.changed().get(plan.created().get(0).id()).nodeName()).isEqualTo("n2");
    assertThat(plan.changed()).doesNotContainKey("a");
  }

  @Test
  void aDrainingReplicaIsNeitherCountedNorScaledAway() {
    List<ModelInstance> instances = List.of(instance("a", "m", "draining", "n1"), instance("b", "m", "running", "n2"));
    ReplicaPlan plan = planner.plan(List.of(model("m", 1)), instances,
        List.of(node("n1", "stopping", 16 * GIB), node("n2", "ready", 16 * GIB)), NOW);
    assertThat(plan.isEmpty()).as("b is the one replica; a drains on its own").isTrue();
  }

  @Test
  void replicasOnAStoppedNodeGoAtOnceWithoutTheGracePeriod() {
    ReplicaPlan plan = planner.plan(List.of(model("m", 1)), List.of(instance("a", "m", "running", "n1")),
        List.of(node("n1", "stopped", 16 * GIB), node("n2", "ready", 16 * GIB)), NOW);
    assertThat(plan.removed()).containsExactly("a");
    assertThat(plan.created()).hasSize(1);
  }

  @Test
  void aDrainingReplicaWhoseNodeCrashedGoesAtOnce() {
    ReplicaPlan plan = planner.plan(List.of(model("m", 1)), List.of(instance("a", "m", "draining", "n1")),
        List.of(node("n1", "unreachable", 16 * GIB), node("n2", "ready", 16 * GIB)), NOW);
    assertThat(plan.removed()).containsExactly("a");
  }

  private static NodeRecord nodeRunning(String name, String... backends) {
    JsonObject json = node(name, "ready", 16 * GIB).toJson().put("backends", new JsonArray(List.of(backends)));
    return NodeRecord.fromJson(json);
  }

  @Test
  void aReplicaGoesOnlyToANodeThatCanStartItsEngine() {
    JsonObject llama = model("m", 1).put("backend", "llama.cpp");
    ReplicaPlan plan = planner.plan(List.of(llama), List.of(),
        List.of(nodeRunning("n1", "builtin", "custom"), nodeRunning("n2", "builtin", "custom", "llama.cpp")), NOW);
    assertThat(plan.changed().values()).singleElement().satisfies(i -> assertThat(i.nodeName()).isEqualTo("n2"));
  }

  @Test
  void whenNoNodeCanStartTheEngineTheReplicaWaitsWithHowToInstallIt() {
    JsonObject llama = model("m", 1).put("backend", "llama.cpp");
    ReplicaPlan plan = planner.plan(List.of(llama), List.of(),
        List.of(nodeRunning("n1", "builtin", "custom"), nodeRunning("n2", "builtin", "custom")), NOW);
    ModelInstance waiting = plan.changed().values().iterator().next();
    assertThat(waiting.state()).isEqualTo(InstanceState.PENDING);
    assertThat(waiting.stateMessage()).contains("n1 cannot start a llama.cpp engine")
        .contains("scripts/llama-server.sh").contains("--llama-server");
  }

  @Test
  void aNodeThatDoesNotSayWhatItRunsMayRunAnything() {
    JsonObject llama = model("m", 1).put("backend", "llama.cpp");
    ReplicaPlan plan = planner.plan(List.of(llama), List.of(), List.of(node("n1", "ready", 16 * GIB)), NOW);
    assertThat(plan.changed().values()).singleElement()
        .satisfies(i -> assertThat(i.state()).isEqualTo(InstanceState.SCHEDULED));
  }

  @Test
  void aNodeDrainedForMaintenanceHandsItsReplicaOverLikeAStoppingOne() {
    NodeRecord drained = NodeRecord.fromJson(node("n1", "maintenance", 16 * GIB).toJson().put("maintenance", true)
        .put("drain", true));
    ReplicaPlan plan = planner.plan(List.of(model("m", 1)), List.of(instance("a", "m", "running", "n1")),
        List.of(drained, node("n2", "ready", 16 * GIB)), NOW);
    assertThat(plan.removed()).isEmpty();
    assertThat(plan.created()).singleElement()
        .satisfies(i -> assertThat(plan.changed().get(i.id()).nodeName()).isEqualTo("n2"));

    NodeRecord onlyMaintenance = NodeRecord.fromJson(drained.toJson().put("drain", false));
    ReplicaPlan kept = planner.plan(List.of(model("m", 1)), List.of(instance("a", "m", "running", "n1")),
        List.of(onlyMaintenance, node("n2", "ready", 16 * GIB)), NOW);
    assertThat(kept.isEmpty()).as("maintenance alone keeps the replicas where they are").isTrue();
  }

  private static NodeRecord nodeWithVllm(String name, String... versions) {
    JsonArray engines = new JsonArray();
    for (String version : versions) {
      engines.add(new JsonObject().put("backend", "vllm").put("version", version).put("executable", "/e/" + version + "/bin/vllm"));
    }
    JsonObject json = nodeRunning(name, "builtin", "custom", "vllm").toJson().put("engines", engines);
    return NodeRecord.fromJson(json);
  }

  @Test
  void aNamedEngineVersionGoesOnlyToANodeThatHasIt() {
    JsonObject vllm = model("m", 1).put("backend", "vllm").put("backend_version", "0.8.2");
    ReplicaPlan plan = planner.plan(List.of(vllm), List.of(),
        List.of(nodeWithVllm("n1", "0.11.2"), nodeWithVllm("n2", "0.11.2", "0.8.2")), NOW);
    assertThat(plan.changed().values()).singleElement().satisfies(i -> assertThat(i.nodeName()).isEqualTo("n2"));
    JsonObject any = model("m", 1).put("backend", "vllm");
    ReplicaPlan anywhere = planner.plan(List.of(any), List.of(), List.of(nodeWithVllm("n1", "0.11.2")), NOW);
    assertThat(anywhere.changed().values()).singleElement().satisfies(i -> assertThat(i.nodeName()).isEqualTo("n1"));
  }

  @Test
  void aVersionNoNodeHasWaitsListingTheVersionsOfEachNode() {
    JsonObject vllm = model("m", 1).put("backend", "vllm").put("backend_version", "0.9.9");
    ReplicaPlan plan = planner.plan(List.of(vllm), List.of(),
        List.of(nodeWithVllm("n1", "0.11.2"), nodeWithVllm("n2", "0.11.2", "0.8.2"), nodeRunning("n3", "builtin")), NOW);
    ModelInstance waiting = plan.changed().values().iterator().next();
    assertThat(waiting.state()).isEqualTo(InstanceState.PENDING);
    assertThat(waiting.stateMessage()).contains("vllm 0.9.9 is on no ready node")
        .contains("n1: 0.11.2; n2: 0.11.2, 0.8.2; n3: none");
  }
}
