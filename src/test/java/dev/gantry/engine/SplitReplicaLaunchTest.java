package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.cluster.ModelInstance;
import dev.gantry.cluster.NodeRecord;
import dev.gantry.scheduler.Estimate;
import dev.gantry.scheduler.ReplicaPlan;
import dev.gantry.scheduler.ReplicaPlanner;
import dev.gantry.scheduler.placement.Placement;
import dev.gantry.scheduler.placement.PlacementConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A replica of more devices than any node has, from the scheduler's placement to each part's launch: the engine's
 * tensor-parallel size is the part's devices and its pipeline the number of nodes.
 */
class SplitReplicaLaunchTest {

  private static final long GIB = 1L << 30;
  private static final Instant NOW = Instant.parse("2026-12-02T04:00:00Z");

  private static NodeRecord node(String name, int gpus) {
    JsonArray devices = new JsonArray();
    for (int i = 0; i < gpus; i++) {
      devices.add(new JsonObject().put("id", name + ":cuda:" + i).put("type", "cuda").put("name", "H100")
          .put("memory_total", 80 * GIB));
    }
    return NodeRecord.fromJson(new JsonObject().put("name", name).put("state", "ready")
        .put("address", "10.0.0." + name.charAt(1)).put("started_at", NOW.toString()).put("heartbeat_at", NOW.toString())
        .put("cpu", new JsonObject().put("cores", 32)).put("memory", new JsonObject().put("total", 512 * GIB))
        .put("labels", new JsonObject()).put("devices", devices));
  }

  @Test
  void eightDevicesOverTwoNodesOfFourAreTensorParallelFourAndPipelineTwo() {
    ReplicaPlanner planner = new ReplicaPlanner(new Placement(new PlacementConfig(0, 0, 5)),
        model -> new Estimate(GIB, 70 * GIB, "test"), Duration.ofSeconds(30));
    JsonObject model = new JsonObject().put("id", 1L).put("name", "big").put("backend", "vllm").put("replicas", 1)
        .put("placement_strategy", "spread").put("devices_per_replica", 8);
    ReplicaPlan plan = planner.plan(List.of(model), List.of(), List.of(node("n1", 4), node("n2", 4)), NOW);
    ModelInstance placed = plan.changed().values().iterator().next();
    assertThat(placed.parts()).hasSize(2);

    MultiNodeLaunch leader = PartsOnNode.launch(placed, 0, 41000);
    MultiNodeLaunch worker = PartsOnNode.launch(placed, 1, 0);
    assertThat(leader.tensorParallel()).isEqualTo(4);
    assertThat(leader.nodes()).isEqualTo(2);
    assertThat(worker.rank()).isEqualTo(1);
    assertThat(worker.tensorParallel()).isEqualTo(4);
    assertThat(worker.leaderAddress()).isEqualTo("10.0.0.1");
    assertThat(worker.hosts()).extracting(MultiNodeLaunch.Host::deviceIndexes)
        .containsExactly(List.of(0, 1, 2, 3), List.of(0, 1, 2, 3));
  }
}
