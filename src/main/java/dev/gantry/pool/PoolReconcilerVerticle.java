package dev.gantry.pool;

import dev.gantry.cluster.InstanceState;
import dev.gantry.cluster.LeaderRounds;
import dev.gantry.cluster.LiveInstances;
import dev.gantry.cluster.LiveModels;
import dev.gantry.cluster.LiveNodes;
import dev.gantry.cluster.Membership;
import dev.gantry.cluster.ModelInstance;
import dev.gantry.cluster.NodeRecord;
import dev.gantry.cluster.NodeState;
import dev.gantry.cluster.SecretBox;
import dev.gantry.cluster.SharedMap;
import dev.gantry.scheduler.ModelEstimator;
import dev.gantry.scheduler.ReplicaPlanner;
import dev.gantry.scheduler.placement.ReplicaRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every worker pool on the node that leads the cluster ({@link Membership#leads()}), every
 * {@code tickMs}: lists each pool's tagged instances at its cloud, asks {@link PoolPlanner}, and carries the
 * plan out through {@link PoolActions}. Pools are read from PostgreSQL each round, so a new leader picks
 * them up at once; what it keeps in memory (idle clocks, backoff) only delays a move when it starts afresh.
 */
public final class PoolReconcilerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PoolReconcilerVerticle.class);
  static final String UNJUDGED = "waiting to be placed";

  /** How the reconciler acts on nodes: a drain as {@code PATCH /v2/nodes/{name} {"drain":true}}, and forgetting a gone node. */
  public interface NodeControl {
    Future<?> drain(String node);

    Future<?> forget(String node);
  }

  private final PgWorkerPoolStore store;
  private final SecretBox box;
  private final CloudProviders providers;
  private final PoolTags tags;
  private final LiveNodes nodes;
  private final LiveInstances instances;
  private final LiveModels models;
  private final Membership membership;
  private final SharedMap status;
  private final PoolActions actions;
  private final long tickMs;
  private final PoolPlanner planner = new PoolPlanner();
  private final ModelEstimator estimator = new ModelEstimator();
  /** Per pool: when each of its nodes was first seen idle. */
  private final Map<String, Map<String, Instant>> idleSince = new HashMap<>();

  public PoolReconcilerVerticle(PgWorkerPoolStore store, SecretBox box, CloudProviders providers, PoolTags tags,
      LiveNodes nodes, LiveInstances instances, LiveModels models, Membership membership, SharedMap status,
      PoolActions actions, long tickMs) {
    this.store = store;
    this.box = box;
    this.providers = providers;
    this.tags = tags;
    this.nodes = nodes;
    this.instances = instances;
    this.models = models;
    this.membership = membership;
    this.status = status;
    this.actions = actions;
    this.tickMs = tickMs;
  }

  @Override
  public Future<?> start() {
    LeaderRounds.every(vertx, tickMs, membership, this::tick,
        e -> LOG.warn("worker pool round failed: {}", e.getMessage()));
    return Future.succeededFuture();
  }

  private Future<Void> tick() {
    return Future.all(store.all(), nodes.all(), instances.all(), models.all()).compose(state -> {
      List<JsonObject> pools = state.resultAt(0);
      if (pools.isEmpty()) {
        return Future.succeededFuture();
      }
      Map<String, NodeRecord> byName = new HashMap<>();
      for (NodeRecord node : state.<List<NodeRecord>>resultAt(1)) {
        byName.put(node.name(), node);
      }
      List<ModelInstance> replicas = state.resultAt(2);
      Map<String, Integer> perNode = new HashMap<>();
      replicas.stream().filter(i -> i.nodeName() != null).forEach(i -> perNode.merge(i.nodeName(), 1, Integer::sum));
      List<ReplicaRequest> pending = pending(replicas, state.resultAt(3));
      List<String> peers = byName.values().stream().filter(n -> n.state() == NodeState.READY)
          .map(n -> n.address() + ":" + n.clusterPort()).sorted().toList();
      List<Future<?>> rounds = new ArrayList<>();
      for (JsonObject spec : pools) {
        rounds.add(reconcile(spec, byName, perNode, pending, peers).recover(e -> {
          LOG.warn("worker pool [pool: {}] round failed: {}", spec.getString("name"), e.getMessage());
          return Future.succeededFuture();
        }));
      }
      return Future.all(rounds).mapEmpty();
    });
  }

  /** Replicas the scheduler judged and could not place (a fresh one may still find room as it is). */
  private List<ReplicaRequest> pending(List<ModelInstance> replicas, List<JsonObject> all) {
    Map<String, JsonObject> byName = new HashMap<>();
    all.forEach(m -> byName.put(m.getString("name"), m));
    List<ReplicaRequest> out = new ArrayList<>();
    for (ModelInstance replica : replicas) {
      JsonObject model = byName.get(replica.modelName());
      if (replica.state() == InstanceState.PENDING && model != null && !UNJUDGED.equals(replica.stateMessage())) {
        out.add(ReplicaPlanner.requestFor(model, replica.id(), estimator.estimate(model)));
      }
    }
    return out;
  }

  private Future<Void> reconcile(JsonObject spec, Map<String, NodeRecord> byName, Map<String, Integer> perNode,
      List<ReplicaRequest> pending, List<String> peers) {
    WorkerPool pool = WorkerPool.fromJson(spec);
    boolean deleting = spec.getBoolean("deleting", false);
    return store.sealedCredentials(pool.name()).compose(sealed -> {
      CloudProvider provider = providers.of(pool, WorkerPoolRoutes.openCredentials(box, pool.name(), sealed));
      return provider.listByTags(tags.of(pool.name())).compose(listed -> {
        Instant now = Instant.now();
        PoolPlanner.Plan plan = planner.plan(pool, deleting, listed, byName, perNode, pending,
            idleSince.computeIfAbsent(pool.name(), k -> new HashMap<>()), now);
        if (deleting && listed.isEmpty()) {
          idleSince.remove(pool.name());
          return actions.finishDeletion(pool.name());
        }
        Set<String> listedNames = new HashSet<>();
        listed.forEach(i -> listedNames.add(i.name()));
        return actions.carryOut(pool, provider, plan, byName, listedNames, peers)
            .compose(message -> status.set(pool.name(), plan.status().put("message", message)
                .put("updated_at", now.toString()).encode()));
      }, failed -> {
        String why = failed instanceof CloudException c ? c.describe() : String.valueOf(failed.getMessage());
        LOG.warn("worker pool [pool: {}] cannot list its instances: {}", pool.name(), why);
        return status.set(pool.name(), new JsonObject().put("message", "cannot list the pool's instances: " + why)
            .put("updated_at", Instant.now().toString()).encode());
      });
    });
  }
}
