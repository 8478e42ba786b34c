package dev.gantry.pool;

import dev.gantry.cluster.NodeRecord;
import dev.gantry.cluster.NodeState;
import dev.gantry.scheduler.placement.ReplicaRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One reconciling step of one pool, as a pure decision over what the cloud lists (the pool's tagged
 * instances), what the cluster knows (node records, replicas per node) and what waits (pending replicas):
 * <ul>
 * <li>an instance whose node never joined within {@code join_timeout}, or whose node left the cluster, is
 *     deleted; every instance of a pool being deleted is deleted;</li>
 * <li>a joined node with no replica for {@code idle_timeout} is drained, unless the pool would go below
 *     {@code min_nodes}; a drained node with no replica left is deleted;</li>
 * <li>pending replicas that a type of the catalogue fits add one node each, less the nodes still joining
 *     and the joined nodes still empty for less than {@link #PLACEMENT_GRACE} whose type fits them (the
 *     scheduler has not placed onto them yet), and the pool is filled up to {@code min_nodes}, never beyond
 *     {@code max_nodes}.</li>
 * </ul>
 * The instance name is the node name, which is how an instance and its node are matched.
 */
public final class PoolPlanner {

  /** A node to create: the types to try in order (the next one when a type is out of capacity). */
  public record Create(List<WorkerPool.InstanceType> types, String reason) {
  }

  public record Delete(CloudInstance instance, String reason) {
  }

  public record Drain(String node, String reason) {
  }

  public record Plan(List<Create> creates, List<Delete> deletes, List<Drain> drains, JsonObject status) {
  }

  /** How long a node that joined empty is expected to take a pending replica before more nodes are added. */
  static final Duration PLACEMENT_GRACE = Duration.ofSeconds(60);

  private final PoolDemand demand = new PoolDemand();

  /**
   * @param replicasByNode replicas placed on each node, any state
   * @param idleSince when each node was first seen idle; this step updates it (owned by the caller)
   */
  public Plan plan(WorkerPool pool, boolean deleting, List<CloudInstance> instances, Map<String, NodeRecord> nodes,
      Map<String, Integer> replicasByNode, List<ReplicaRequest> pending, Map<String, Instant> idleSince, Instant now) {
    List<Create> creates = new ArrayList<>();
    List<Delete> deletes = new ArrayList<>();
    List<Drain> drains = new ArrayList<>();
    JsonArray shown = new JsonArray();
    int provisioning = 0;
    int staying = 0;
    List<NodeRecord> idle = new ArrayList<>();
    for (CloudInstance instance : instances) {
      NodeRecord node = nodes.get(instance.name());
      int replicas = replicasByNode.getOrDefault(instance.name(), 0);
      String phase;
      if (deleting) {
        deletes.add(new Delete(instance, "the pool is being deleted"));
        phase = "deleting";
      } else if (node == null) {
        Duration age = instance.createdAt() == null ? Duration.ZERO : Duration.between(instance.createdAt(), now);
        if (age.compareTo(pool.joinTimeout()) >= 0) {
          deletes.add(new Delete(instance, "its node did not join the cluster within " + pool.joinTimeout().toSeconds() + " s"));
          phase = "deleting";
        } else {
          provisioning++;
          phase = "joining";
        }
      } else if (node.state() == NodeState.UNREACHABLE || node.state() == NodeState.STOPPED) {
        deletes.add(new Delete(instance, "its node left the cluster (" + node.state().name().toLowerCase() + ")"));
        phase = "deleting";
      } else if (node.drain()) {
        if (replicas == 0) {
          deletes.add(new Delete(instance, "its node is drained"));
          phase = "deleting";
        } else {
          phase = "draining";
        }
      } else if (replicas == 0) {
        idle.add(node);
        staying++;
        phase = "idle";
      } else {
        idleSince.remove(node.name());
        staying++;
        phase = "ready";
      }
      shown.add(instance.toJson().put("node_state", node == null ? null : node.state().name().toLowerCase())
          .put("replicas", replicas).put("phase", phase));
    }
    int live = staying + provisioning;
    List<NodeRecord> fresh = new ArrayList<>();
    for (NodeRecord node : idle) {
      Instant since = idleSince.computeIfAbsent(node.name(), k -> now);
      Duration idleFor = Duration.between(since, now);
      if (idleFor.compareTo(PLACEMENT_GRACE) < 0) {
        fresh.add(node);
      }
      if (idleFor.compareTo(pool.idleTimeout()) >= 0 && live > pool.minNodes()) {
        drains.add(new Drain(node.name(), "idle for " + idleFor.toSeconds() + " s (idle_timeout " + pool.idleTimeout().toSeconds()
            + " s)"));
        idleSince.remove(node.name());
        live--;
      }
    }
    Set<String> known = instances.stream().map(CloudInstance::name).collect(Collectors.toSet());
    idleSince.keySet().removeIf(name -> !known.contains(name));
    int fitting = 0;
    if (!deleting) {
      List<List<WorkerPool.InstanceType>> wanted = new ArrayList<>();
      for (ReplicaRequest request : pending) {
        List<WorkerPool.InstanceType> types = demand.fitting(pool, request);
        if (!types.isEmpty()) {
          wanted.add(types);
        }
      }
      fitting = wanted.size();
      List<List<WorkerPool.InstanceType>> unmet = withoutThoseFreshNodesTake(wanted, fresh);
      int absorbed = wanted.size() - unmet.size();
      int room = pool.maxNodes() - instances.size() + deletes.size();
      for (int i = provisioning; i < unmet.size() && creates.size() < room; i++) {
        creates.add(new Create(unmet.get(i), "replica pending that a " + unmet.get(i).get(0).name() + " fits ("
            + wanted.size() + " pending that the pool fits, " + provisioning + " node(s) joining, " + absorbed
            + " waiting for an empty node that joined)"));
      }
      while (live + creates.size() < pool.minNodes() && creates.size() < room) {
        creates.add(new Create(pool.instanceTypes(), "below min_nodes " + pool.minNodes()));
      }
    }
    JsonObject status = new JsonObject().put("instances", shown).put("pending_replicas_that_fit", fitting)
        .put("nodes", live).put("deleting", deleting);
    return new Plan(creates, deletes, drains, status);
  }

  /** The wanted types left once each empty node that joined recently takes one request its instance type fits. */
  private static List<List<WorkerPool.InstanceType>> withoutThoseFreshNodesTake(List<List<WorkerPool.InstanceType>> wanted,
      List<NodeRecord> fresh) {
    List<NodeRecord> free = new ArrayList<>(fresh);
    List<List<WorkerPool.InstanceType>> unmet = new ArrayList<>();
    for (List<WorkerPool.InstanceType> types : wanted) {
      NodeRecord taker = free.stream().filter(n -> {
        String type = n.labels().get(WorkerPool.INSTANCE_TYPE_LABEL);
        return type == null || types.stream().anyMatch(t -> t.name().equals(type));
      }).findFirst().orElse(null);
      if (taker == null) {
        unmet.add(types);
      } else {
        free.remove(taker);
      }
    }
    return unmet;
  }
}
