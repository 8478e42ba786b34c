package dev.gantry.scheduler;

import com.hazelcast.core.HazelcastInstance;
import dev.gantry.cluster.ClusterMaps;
import dev.gantry.cluster.JsonMap;
import dev.gantry.cluster.Leadership;
import dev.gantry.cluster.MapEvents;
import dev.gantry.scheduler.placement.Placement;
import dev.gantry.scheduler.placement.PlacementConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs scheduling rounds on the one node that leads the cluster (its oldest member); the others stand
 * by and take over the moment it leaves. A round runs on every change of models, instances or nodes
 * and on a periodic sweep, so a missed event is repaired within {@link #SWEEP_MS}.
 */
public final class SchedulerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SchedulerVerticle.class);
  static final long SWEEP_MS = 2_000;

  private final HazelcastInstance hazelcast;
  private final ReplicaPlanner planner;
  private JsonMap models;
  private JsonMap instances;
  private JsonMap nodes;
  private boolean running;
  private boolean again;

  public SchedulerVerticle(HazelcastInstance hazelcast, Duration rescheduleGrace) {
    this.hazelcast = hazelcast;
    ModelEstimator estimator = new ModelEstimator();
    this.planner = new ReplicaPlanner(new Placement(PlacementConfig.defaults()), estimator::estimate, rescheduleGrace);
  }

  @Override
  public Future<?> start() {
    models = new JsonMap(hazelcast.getMap(ClusterMaps.MODELS));
    instances = new JsonMap(hazelcast.getMap(ClusterMaps.INSTANCES));
    nodes = new JsonMap(hazelcast.getMap(ClusterMaps.NODES));
    MapEvents.listen(models.raw(), (type, item) -> trigger());
    MapEvents.listen(instances.raw(), (type, item) -> trigger());
    MapEvents.listen(nodes.raw(), (type, item) -> {
      if (!"UPDATED".equals(type) || !"ready".equals(item.getString("state"))) {
        trigger();
      }
    });
    vertx.setPeriodic(SWEEP_MS, t -> trigger());
    return Future.succeededFuture();
  }

  private void trigger() {
    context.runOnContext(v -> round());
  }

  private void round() {
    if (!Leadership.leads(hazelcast)) {
      return;
    }
    if (running) {
      again = true;
      return;
    }
    running = true;
    vertx.executeBlocking(this::planAndApply, false).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("scheduling round failed: {}", ar.cause().getMessage());
      }
      running = false;
      if (again) {
        again = false;
        round();
      }
    });
  }

  private Void planAndApply() {
    ReplicaPlan plan = planner.plan(models.values(), instances.values(), nodes.values(), Instant.now());
    if (plan.isEmpty()) {
      return null;
    }
    String now = Instant.now().toString();
    plan.removed().forEach(instances::remove);
    plan.created().forEach(instance -> instances.put(instance.getString("id"), instance));
    plan.changed().forEach((id, fields) -> instances.update(id, current -> current.mergeIn(fields).put("updated_at", now)));
    LOG.debug("scheduling round [created: {}] [removed: {}] [changed: {}]", plan.created().size(),
        plan.removed().size(), plan.changed().size());
    return null;
  }

}
