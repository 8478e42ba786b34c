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
import java.util.List;
import org.junit.jupiter.api.Test;

/** A model's {@code kv_cache} host memory is RAM its replica claims: counted, refused where it is not free, explained. */
class HostKvCachePlacementTest {

  private static final long GIB = 1L << 30;
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private final ReplicaPlanner planner = new ReplicaPlanner(new Placement(PlacementConfig.defaults()),
      model -> new Estimate(2 * GIB, 0, "2 GiB weights"), Duration.ofSeconds(30));

  private static JsonObject model(String name, JsonObject kv) {
    return new JsonObject().put("id", 1L).put("name", name).put("backend", "llama.cpp").put("replicas", 1)
        .put("placement_strategy", "spread").put("kv_cache", kv);
  }

  private static NodeRecord node(String name, long memory) {
    return NodeRecord.fromJson(new JsonObject().put("name", name).put("state", "ready").put("address", "10.0.0.1")
        .put("started_at", NOW.toString()).put("heartbeat_at", NOW.toString())
        .put("cpu", new JsonObject().put("cores", 8)).put("memory", new JsonObject().put("total", memory))
        .put("labels", new JsonObject()).put("devices", new JsonArray()));
  }

  private static ModelInstance only(ReplicaPlan plan) {
    assertThat(plan.changed()).hasSize(1);
    return plan.changed().values().iterator().next();
  }

  @Test
  void theHostMemoryIsPartOfTheClaim() {
    ModelInstance placed = only(planner.plan(List.of(model("kv", new JsonObject().put("host_memory_gib", 4))),
        List.of(), List.of(node("n1", 32 * GIB)), NOW));
    assertThat(placed.state()).isEqualTo(InstanceState.SCHEDULED);
    assertThat(placed.claim().ram()).isEqualTo(6 * GIB);
    assertThat(placed.stateMessage()).contains("4.0 GiB host memory for kv_cache");
    ModelInstance ratio = only(planner.plan(List.of(model("kv", new JsonObject().put("host_memory_ratio", 1.5))),
        List.of(), List.of(node("n1", 32 * GIB)), NOW));
    assertThat(ratio.claim().ram()).isEqualTo(5 * GIB);
  }

  @Test
  void aNodeWithoutThatMuchFreeRamIsRefusedAndThePendingMessageSaysWhy() {
    ModelInstance pending = only(planner.plan(List.of(model("kv", new JsonObject().put("host_memory_gib", 64))),
        List.of(), List.of(node("n1", 32 * GIB)), NOW));
    assertThat(pending.state()).isEqualTo(InstanceState.PENDING);
    assertThat(pending.stateMessage()).contains("RAM").contains("includes 64.0 GiB host memory for kv_cache");
    ModelInstance without = only(planner.plan(List.of(model("plain", null)), List.of(), List.of(node("n1", 32 * GIB)), NOW));
    assertThat(without.state()).as("the same model without kv_cache fits").isEqualTo(InstanceState.SCHEDULED);
  }
}
