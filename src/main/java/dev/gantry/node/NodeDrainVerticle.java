package dev.gantry.node;

import dev.gantry.cluster.InstanceState;
import dev.gantry.cluster.LiveInstances;
import dev.gantry.cluster.LiveModels;
import dev.gantry.cluster.LiveNodes;
import dev.gantry.cluster.ModelInstance;
import dev.gantry.cluster.NodeRecord;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains this node while an admin has it in maintenance with {@code drain}: the scheduler already places
 * replacements of its replicas elsewhere ({@code ReplicaPlanner} counts them as leaving); this node hands
 * each replica over once its model's replacements run ({@link Handover}), or at the deadline: the replica
 * turns {@code draining} (out of routing), and once its requests in flight finished it is removed, which
 * stops its engine. Level-triggered: checked every {@link #CHECK_MS} ms, so a missed event costs a second.
 */
public final class NodeDrainVerticle extends VerticleBase {

  static final long CHECK_MS = 1_000;
  /** How long a draining replica stays reachable after its last request: other gateways see the change in ms. */
  private static final long SETTLE_MS = 500;
  private static final Logger LOG = LoggerFactory.getLogger(NodeDrainVerticle.class);

  private final String nodeName;
  private final LiveNodes nodes;
  private final LiveModels models;
  private final LiveInstances instances;
  private final ToIntFunction<String> inFlightTo;
  private final Duration timeout;
  private final Map<String, Long> drainingSince = new HashMap<>();
  private long drainStarted = -1;
  private boolean checking;

  public NodeDrainVerticle(String nodeName, LiveNodes nodes, LiveModels models, LiveInstances instances,
      ToIntFunction<String> inFlightTo, Duration timeout) {
    this.nodeName = nodeName;
    this.nodes = nodes;
    this.models = models;
    this.instances = instances;
    this.inFlightTo = inFlightTo;
    this.timeout = timeout;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(CHECK_MS, t -> {
      if (!checking) {
        checking = true;
        check().onComplete(ar -> {
          checking = false;
          if (ar.failed()) {
            LOG.warn("drain check failed: {}", ar.cause().getMessage());
          }
        });
      }
    });
    return Future.succeededFuture();
  }

  private Future<Void> check() {
    return nodes.get(nodeName).compose(record -> {
      if (record == null || record.state().leaving()) {
        return Future.succeededFuture();  // a graceful stop hands over on its own
      }
      if (!record.drain()) {
        drainStarted = -1;
        return finishDraining(System.currentTimeMillis());
      }
      long now = System.currentTimeMillis();
      if (drainStarted < 0) {
        drainStarted = now;
        LOG.info("draining for maintenance: replicas move to other nodes [node: {}] [timeout s: {}]", nodeName,
            timeout.toSeconds());
      }
      return Future.all(models.all(), instances.all()).compose(state -> handOver(record, state.resultAt(0),
          state.resultAt(1), now));
    });
  }

  /** A drain called off midway: replicas already draining (their replacements exist) still finish and go. */
  private Future<Void> finishDraining(long now) {
    return instances.all().compose(all -> Future.all(all.stream()
        .filter(i -> i.on(nodeName) && i.state() == InstanceState.DRAINING)
        .filter(i -> now - drainingSince.computeIfAbsent(i.id(), id -> now) >= SETTLE_MS && inFlightTo.applyAsInt(i.id()) == 0)
        .map(i -> {
          drainingSince.remove(i.id());
          return instances.remove(i.id());
        }).toList()).mapEmpty());
  }

  private Future<Void> handOver(NodeRecord record, List<io.vertx.core.json.JsonObject> allModels,
      List<ModelInstance> all, long now) {
    List<ModelInstance> mine = all.stream().filter(i -> i.on(nodeName) && i.state().wantsEngine()).toList();
    Set<String> ready = Handover.ready(mine.stream().map(ModelInstance::modelName).collect(Collectors.toSet()),
        nodeName, allModels, all);
    boolean late = now - drainStarted >= timeout.toMillis();
    List<Future<?>> writes = new java.util.ArrayList<>();
    for (ModelInstance instance : mine) {
      if (instance.state() != InstanceState.DRAINING) {
        if (ready.contains(instance.modelName()) || late) {
          String message = "node " + nodeName + " is draining for maintenance: finishing the requests in flight";
          writes.add(instances.update(instance.id(), i -> i.draining(message)));
          drainingSince.put(instance.id(), now);
          LOG.info("draining replica [instance: {}] [replaced elsewhere: {}]", instance.name(),
              ready.contains(instance.modelName()));
        }
      } else if (now - drainingSince.computeIfAbsent(instance.id(), id -> now) >= SETTLE_MS
          && inFlightTo.applyAsInt(instance.id()) == 0) {
        writes.add(instances.remove(instance.id()));
        drainingSince.remove(instance.id());
        LOG.info("replica drained and stopped [instance: {}]", instance.name());
      }
    }
    return Future.all(writes).mapEmpty();
  }
}
