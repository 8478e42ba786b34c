package dev.gantry.pool;

import dev.gantry.cluster.NodeRecord;
import dev.gantry.cluster.NodeState;
import dev.gantry.cluster.SharedMap;
import dev.gantry.common.Ids;
import dev.gantry.config.DatabaseUrl;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Carries out a {@link PoolPlanner.Plan} at the cloud and in the cluster, one call after the other:
 * deletes (forgetting the node record of a node that is gone), drains, then creates. A create tries the
 * plan's types in order, moving to the next when one is out of capacity; any other failure backs the pool
 * off (1 s doubling to {@link #MAX_BACKOFF}) and the next create reuses the same name as its idempotency
 * key. Each decision is a {@link PoolEvents} entry; the answer is the pool's status message.
 */
public final class PoolActions {

  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

  private final PoolEvents events;
  private final PoolReconcilerVerticle.NodeControl control;
  private final PgWorkerPoolStore store;
  private final SharedMap status;
  private final PoolTags tags;
  private final String clusterSecret;
  private final DatabaseUrl database;
  private final Map<String, Backoff> backoff = new HashMap<>();
  private final Map<String, String> retryName = new HashMap<>();
  private final Set<String> deletedNodes = new HashSet<>();

  private record Backoff(Instant until, Duration delay, String reason) {
  }

  public PoolActions(PoolEvents events, PoolReconcilerVerticle.NodeControl control, PgWorkerPoolStore store,
      SharedMap status, PoolTags tags, String clusterSecret, DatabaseUrl database) {
    this.events = events;
    this.control = control;
    this.store = store;
    this.status = status;
    this.tags = tags;
    this.clusterSecret = clusterSecret;
    this.database = database;
  }

  Future<String> carryOut(WorkerPool pool, CloudProvider provider, PoolPlanner.Plan plan, Map<String, NodeRecord> nodes,
      Set<String> listed, List<String> peers) {
    Future<Void> done = forgetGoneNodes(nodes);
    for (PoolPlanner.Delete delete : plan.deletes()) {
      done = done.compose(v -> provider.delete(delete.instance().id()))
          .compose(v -> {
            deletedNodes.add(delete.instance().name());
            return events.record(pool.name(), "delete", delete.instance().name(), delete.reason());
          });
    }
    for (PoolPlanner.Drain drain : plan.drains()) {
      done = done.compose(v -> control.drain(drain.node()))
          .compose(v -> events.record(pool.name(), "drain", drain.node(), drain.reason()));
    }
    String retry = retryName.get(pool.name());
    if (retry != null && listed.contains(retry)) {
      retryName.remove(pool.name());
    }
    Backoff waiting = backoff.get(pool.name());
    if (!plan.creates().isEmpty() && waiting != null && Instant.now().isBefore(waiting.until())) {
      return done.map(v -> "backing off until " + waiting.until() + " after: " + waiting.reason());
    }
    for (PoolPlanner.Create create : plan.creates()) {
      done = done.compose(v -> create(pool, provider, create, create.types(), 0, peers));
    }
    return done.map(v -> {
      backoff.remove(pool.name());
      return plan.creates().isEmpty() && plan.deletes().isEmpty() && plan.drains().isEmpty() ? "steady" : "acting";
    }).recover(e -> {
      String reason = e instanceof CloudException cloud ? cloud.describe() : String.valueOf(e.getMessage());
      Backoff before = backoff.get(pool.name());
      Duration delay = before == null ? FIRST_BACKOFF : before.delay().multipliedBy(2);
      delay = delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
      Backoff next = new Backoff(Instant.now().plus(delay), delay, reason);
      backoff.put(pool.name(), next);
      return events.record(pool.name(), "error", null, reason + " (retrying in " + delay.toSeconds() + " s)")
          .map("backing off until " + next.until() + " after: " + reason);
    });
  }

  private Future<Void> create(WorkerPool pool, CloudProvider provider, PoolPlanner.Create create,
      List<WorkerPool.InstanceType> types, int index, List<String> peers) {
    WorkerPool.InstanceType type = types.get(index);
    String name = retryName.computeIfAbsent(pool.name(), k -> pool.name() + "-" + Ids.random(6));
    String userData = UserData.render(pool.startCommand(), name, pool.join().isEmpty() ? peers : pool.join(),
        pool.nodeLabels(type.name()), clusterSecret, database);
    InstanceSpec spec = new InstanceSpec(name, pool.region(), pool.zone(), type.name(), pool.image(), pool.diskGb(), userData,
        tags.of(pool.name()), pool.network().subnetId(), pool.network().securityGroupIds());
    return provider.create(spec, name).compose(created -> {
      retryName.remove(pool.name());
      return events.record(pool.name(), "create", name, type.name() + " (" + created.id() + "): " + create.reason());
    }, failed -> {
      if (failed instanceof CloudException cloud && cloud.kind() == CloudException.Kind.CAPACITY && index + 1 < types.size()) {
        return events.record(pool.name(), "fallback", name, type.name() + " is out of capacity (" + cloud.describe()
            + "); trying " + types.get(index + 1).name())
            .compose(v -> create(pool, provider, create, types, index + 1, peers));
      }
      return Future.failedFuture(failed);
    });
  }

  /** Node records of instances this reconciler deleted, once their node has left: nobody will bring them back. */
  private Future<Void> forgetGoneNodes(Map<String, NodeRecord> nodes) {
    Future<Void> done = Future.succeededFuture();
    for (String name : Set.copyOf(deletedNodes)) {
      NodeRecord node = nodes.get(name);
      if (node == null) {
        deletedNodes.remove(name);
      } else if (node.state() == NodeState.UNREACHABLE || node.state() == NodeState.STOPPED) {
        done = done.compose(v -> control.forget(name)).map(v -> {
          deletedNodes.remove(name);
          return null;
        });
      }
    }
    return done;
  }

  Future<Void> finishDeletion(String pool) {
    return store.delete(pool).compose(v -> status.remove(pool)).compose(v -> events.forget(pool))
        .compose(v -> {
          backoff.remove(pool);
          retryName.remove(pool);
          return Future.succeededFuture();
        });
  }
}
