package dev.gantry.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.cluster.NodeRecord;
import dev.gantry.cluster.NodeState;
import dev.gantry.scheduler.placement.ReplicaRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The pool's decisions, case by case, without a cloud or a cluster. */
class PoolPlannerTest {

  private static final long GIB = 1L << 30;
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private final PoolPlanner planner = new PoolPlanner();
  private final Map<String, Instant> idle = new HashMap<>();

  private static WorkerPool pool(int min, int max) {
    return WorkerPool.fromJson(new JsonObject().put("name", "gpu").put("provider", "digitalocean").put("region", "nyc3")
        .put("image", "img").put("min_nodes", min).put("max_nodes", max).put("idle_timeout", 600).put("join_timeout", 900)
        .put("labels", new JsonObject().put("zone", "a"))
        .put("instance_types", new JsonArray()
            .add(new JsonObject().put("name", "l4x1").put("devices", 1).put("device_memory_gib", 24).put("device_vendor", "nvidia")
                .put("memory_gib", 32))
            .add(new JsonObject().put("name", "h100x2").put("devices", 2).put("device_memory_gib", 80)
                .put("device_vendor", "nvidia").put("memory_gib", 256))
            .add(new JsonObject().put("name", "mi300x1").put("devices", 1).put("device_memory_gib", 192)
                .put("device_vendor", "amd").put("memory_gib", 256))));
  }

  private static CloudInstance instance(String name, Instant created) {
    return new CloudInstance("id-" + name, name, "l4x1", "active", "10.0.0.2", Map.of(), created);
  }

  private static NodeRecord node(String name, NodeState state, boolean drain) {
    return node(name, state, drain, null);
  }

  private static NodeRecord node(String name, NodeState state, boolean drain, String type) {
    Map<String, String> labels = type == null ? Map.of("pool", "gpu") : Map.of("pool", "gpu", "instance-type", type);
    return new NodeRecord(name, "10.0.0.2", 8080, 5701, "m-" + name, labels, drain, drain, state, null, "1",
        NOW, NOW, null, new NodeRecord.Hardware(null, null, null, null), List.of());
  }

  private static ReplicaRequest gpuReplica(String id, long gib, int devices, String vendor) {
    return new ReplicaRequest("m", id, gib * GIB, 0, devices, new TreeMap<>(), List.of(),
        dev.gantry.scheduler.placement.Strategy.SPREAD, false, 0, "vllm", vendor);
  }

  @Test
  void aPendingReplicaAddsANodeOfTheFirstTypeThatFitsIt() {
    PoolPlanner.Plan plan = planner.plan(pool(0, 5), false, List.of(), Map.of(), Map.of(),
        List.of(gpuReplica("a", 20, 1, null), gpuReplica("b", 70, 2, null), gpuReplica("c", 150, 1, "amd")), idle, NOW);

    assertThat(plan.creates()).extracting(c -> c.types().get(0).name()).containsExactly("l4x1", "h100x2", "mi300x1");
    assertThat(plan.creates().get(0).types()).extracting(WorkerPool.InstanceType::name)
        .as("the fallbacks for out of capacity are the other types that fit").containsExactly("l4x1", "h100x2", "mi300x1");
  }

  @Test
  void aReplicaNoTypeFitsAddsNothing() {
    ReplicaRequest tooBig = gpuReplica("a", 500, 1, null);
    ReplicaRequest wrongVendor = gpuReplica("b", 10, 1, "ascend");
    ReplicaRequest elsewhere = gpuReplica("c", 10, 1, null).withNodeSelector(Map.of("zone", "b"));

    assertThat(planner.plan(pool(0, 5), false, List.of(), Map.of(), Map.of(), List.of(tooBig, wrongVendor, elsewhere), idle, NOW)
        .creates()).isEmpty();
  }

  @Test
  void nodesStillJoiningCountAgainstDemandAndMaxBoundsIt() {
    List<ReplicaRequest> three = List.of(gpuReplica("a", 20, 1, null), gpuReplica("b", 20, 1, null), gpuReplica("c", 20, 1, null));
    assertThat(planner.plan(pool(0, 5), false, List.of(instance("gpu-1", NOW)), Map.of(), Map.of(), three, idle, NOW)
        .creates()).hasSize(2);
    assertThat(planner.plan(pool(0, 2), false, List.of(instance("gpu-1", NOW)), Map.of(), Map.of(), three, idle, NOW)
        .creates()).hasSize(1);
  }

  @Test
  void aNodeThatJoinedEmptyTakesThePendingReplicaInsteadOfANewNodeUntilTheGraceRunsOut() {
    Map<String, NodeRecord> joined = Map.of("gpu-1", node("gpu-1", NodeState.READY, false, "l4x1"));
    List<CloudInstance> instances = List.of(instance("gpu-1", NOW));
    List<ReplicaRequest> one = List.of(gpuReplica("a", 20, 1, null));

    assertThat(planner.plan(pool(0, 5), false, instances, joined, Map.of(), one, idle, NOW).creates())
        .as("the scheduler has not placed onto the node that just joined yet").isEmpty();
    assertThat(planner.plan(pool(0, 5), false, instances, joined, Map.of(), List.of(gpuReplica("a", 20, 1, null),
        gpuReplica("b", 20, 1, null)), idle, NOW.plusSeconds(5)).creates()).as("one more for the second replica").hasSize(1);
    assertThat(planner.plan(pool(0, 5), false, instances, joined, Map.of(), List.of(gpuReplica("c", 150, 1, "amd")), idle,
        NOW.plusSeconds(5)).creates()).as("a replica the joined node's type does not fit").hasSize(1);
    assertThat(planner.plan(pool(0, 5), false, instances, joined, Map.of(), one, idle,
        NOW.plus(PoolPlanner.PLACEMENT_GRACE)).creates()).as("still pending after the grace: the node does not take it")
        .hasSize(1);
  }

  @Test
  void thePoolIsFilledToItsMinimum() {
    assertThat(planner.plan(pool(2, 3), false, List.of(), Map.of(), Map.of(), List.of(), idle, NOW).creates())
        .hasSize(2).allSatisfy(c -> assertThat(c.reason()).isEqualTo("below min_nodes 2"));
  }

  @Test
  void anInstanceWhoseNodeNeverJoinedIsDeletedAfterTheJoinTimeout() {
    PoolPlanner.Plan plan = planner.plan(pool(0, 2), false,
        List.of(instance("gpu-young", NOW.minusSeconds(899)), instance("gpu-old", NOW.minusSeconds(900))), Map.of(),
        Map.of(), List.of(), idle, NOW);

    assertThat(plan.deletes()).extracting(d -> d.instance().name()).containsExactly("gpu-old");
    assertThat(plan.deletes().get(0).reason()).isEqualTo("its node did not join the cluster within 900 s");
  }

  @Test
  void anIdleNodeIsDrainedAfterTheIdleTimeoutUnlessThatGoesBelowMin() {
    Map<String, NodeRecord> nodes = Map.of("gpu-1", node("gpu-1", NodeState.READY, false), "gpu-2",
        node("gpu-2", NodeState.READY, false));
    List<CloudInstance> instances = List.of(instance("gpu-1", NOW.minusSeconds(3600)), instance("gpu-2", NOW.minusSeconds(3600)));

    assertThat(planner.plan(pool(1, 2), false, instances, nodes, Map.of(), List.of(), idle, NOW).drains()).isEmpty();
    assertThat(planner.plan(pool(1, 2), false, instances, nodes, Map.of("gpu-1", 1), List.of(), idle,
        NOW.plus(Duration.ofSeconds(599))).drains()).isEmpty();
    PoolPlanner.Plan later = planner.plan(pool(1, 2), false, instances, nodes, Map.of("gpu-1", 1), List.of(), idle,
        NOW.plus(Duration.ofSeconds(600)));

    assertThat(later.drains()).extracting(PoolPlanner.Drain::node).as("gpu-1 serves a replica; one node stays for min 1")
        .containsExactly("gpu-2");
    Map<String, Instant> clocks = new HashMap<>();
    planner.plan(pool(1, 2), false, instances, nodes, Map.of(), List.of(), clocks, NOW);
    assertThat(planner.plan(pool(1, 2), false, instances, nodes, Map.of(), List.of(), clocks, NOW.plus(Duration.ofSeconds(600)))
        .drains()).as("both idle: only down to min_nodes").hasSize(1);
  }

  @Test
  void aDrainedNodeIsDeletedOnceEmptyAndAGoneNodeAtOnce() {
    Map<String, NodeRecord> nodes = Map.of("gpu-1", node("gpu-1", NodeState.MAINTENANCE, true), "gpu-2",
        node("gpu-2", NodeState.MAINTENANCE, true), "gpu-3", node("gpu-3", NodeState.UNREACHABLE, false));
    List<CloudInstance> instances = List.of(instance("gpu-1", NOW), instance("gpu-2", NOW), instance("gpu-3", NOW));

    PoolPlanner.Plan plan = planner.plan(pool(0, 3), false, instances, nodes, Map.of("gpu-2", 1), List.of(), idle, NOW);

    assertThat(plan.deletes()).extracting(d -> d.instance().name()).containsExactly("gpu-1", "gpu-3");
  }

  @Test
  void aPoolBeingDeletedDeletesEverythingAndCreatesNothing() {
    PoolPlanner.Plan plan = planner.plan(pool(2, 3), true, List.of(instance("gpu-1", NOW)), Map.of(), Map.of(),
        List.of(gpuReplica("a", 20, 1, null)), idle, NOW);

    assertThat(plan.deletes()).hasSize(1);
    assertThat(plan.creates()).isEmpty();
  }

  @Test
  void anotherPoolsPlanDoesNotRestartThisPoolsIdleClocks() {
    Map<String, NodeRecord> nodes = Map.of("gpu-1", node("gpu-1", NodeState.READY, false));
    List<CloudInstance> instances = List.of(instance("gpu-1", NOW));
    Map<String, Instant> mine = new HashMap<>();
    planner.plan(pool(0, 2), false, instances, nodes, Map.of(), List.of(), mine, NOW);
    planner.plan(pool(0, 2), false, List.of(), nodes, Map.of(), List.of(), new HashMap<>(), NOW.plusSeconds(300));

    assertThat(planner.plan(pool(0, 2), false, instances, nodes, Map.of(), List.of(), mine, NOW.plusSeconds(600)).drains())
        .extracting(PoolPlanner.Drain::node).containsExactly("gpu-1");
  }
}
