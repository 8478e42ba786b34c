package dev.gantry.scheduler;

import dev.gantry.cluster.LiveInstances;
import dev.gantry.cluster.LiveModels;
import dev.gantry.cluster.LiveNodes;
import dev.gantry.cluster.Membership;
import dev.gantry.cluster.ModelInstance;
import dev.gantry.cluster.NodeState;
import dev.gantry.cluster.SharedMap;
import dev.gantry.scheduler.placement.Placement;
import dev.gantry.scheduler.placement.PlacementConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
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

  private final LiveModels models;
  private final LiveInstances instances;
  private final LiveNodes nodes;
  private final Membership membership;
  private final ReplicaPlanner planner;
  private final List<SharedMap.Listening> listening = new ArrayList<>();
  private boolean running;
  private boolean again;

  public SchedulerVerticle(LiveModels models, LiveInstances instances, LiveNodes nodes, Membership membership,
      Duration rescheduleGrace) {
    this.models = models;
    this.instances = instances;
    this.nodes = nodes;
    this.membership = membership;
    ModelEstimator estimator = new ModelEstimator();
    this.planner = new ReplicaPlanner(new Placement(PlacementConfig.defaults()), estimator::estimate, rescheduleGrace);
  }

  @Override
  public Future<?> start() {
    return Future.all(
        models.listen((type, model) -> trigger()).onSuccess(listening::add),
        instances.listen((type, instance) -> trigger()).onSuccess(listening::add),
        nodes.listen((type, node) -> {
          if (type != SharedMap.ChangeType.UPDATED || node.state() != NodeState.READY) {
            trigger();
          }
        }).onSuccess(listening::add)
    ).onSuccess(v -> vertx.setPeriodic(SWEEP_MS, t -> trigger()));
  }

  @Override
  public Future<?> stop() {
    return Future.join(listening.stream().map(SharedMap.Listening::close).toList());
  }

  private void trigger() {
    context.runOnContext(v -> round());
  }

  private void round() {
    if (!membership.leads()) {
      return;
    }
    if (running) {
      again = true;
      return;
    }
    running = true;
    planAndApply().onComplete(ar -> {
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

  private Future<Void> planAndApply() {
    return Future.all(models.all(), instances.all(), nodes.all()).compose(state -> {
      Instant now = Instant.now();
      ReplicaPlan plan = planner.plan(state.resultAt(0), state.resultAt(1), state.resultAt(2), now);
      if (plan.isEmpty()) {
        return Future.succeededFuture();
      }
      Map<String, UnaryOperator<ModelInstance>> transitions = plan.transitions();
      List<Future<?>> writes = new ArrayList<>();
      plan.removed().forEach(id -> writes.add(instances.remove(id)));
      for (ModelInstance created : plan.created()) {
        UnaryOperator<ModelInstance> placed = transitions.remove(created.id());
        writes.add(instances.create(placed == null ? created : placed.apply(created)));
      }
      transitions.forEach((id, transition) -> writes.add(instances.update(id, i -> transition.apply(i).touched(now))));
      LOG.debug("scheduling round [created: {}] [removed: {}] [changed: {}]", plan.created().size(),
          plan.removed().size(), plan.changed().size());
      return Future.all(writes).mapEmpty();
    });
  }
}
