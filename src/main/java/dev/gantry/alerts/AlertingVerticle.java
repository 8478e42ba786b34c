package dev.gantry.alerts;

import dev.gantry.cluster.LiveInstances;
import dev.gantry.cluster.LiveNodes;
import dev.gantry.cluster.Membership;
import dev.gantry.cluster.ModelInstance;
import dev.gantry.cluster.NodeRecord;
import dev.gantry.cluster.SecretBox;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the alert rules once per cluster, on the node that leads, every {@link #TICK_MS} ms: reads the
 * nodes, replicas, model health, rules and last alerts from the cluster maps, asks {@link AlertEvaluator},
 * writes the alerts back (so a new leader continues from them), queues each transition for the receivers
 * and delivers what is due ({@link WebhookDeliveries}). Every node also keeps its replica gauges current.
 */
public final class AlertingVerticle extends VerticleBase {

  static final long TICK_MS = 2_000;
  private static final Logger LOG = LoggerFactory.getLogger(AlertingVerticle.class);

  private final String nodeName;
  private final LiveNodes nodes;
  private final LiveInstances instances;
  private final ClusterAlerts state;
  private final Membership membership;
  private final SecretBox box;
  private final AlertMetrics metrics;
  private WebhookDeliveries deliveries;
  private boolean ticking;

  public AlertingVerticle(String nodeName, LiveNodes nodes, LiveInstances instances, ClusterAlerts state,
      Membership membership, SecretBox box, AlertMetrics metrics) {
    this.nodeName = nodeName;
    this.nodes = nodes;
    this.instances = instances;
    this.state = state;
    this.membership = membership;
    this.box = box;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    deliveries = new WebhookDeliveries(vertx, state, box, metrics);
    vertx.setPeriodic(TICK_MS, t -> {
      if (ticking) {
        return;
      }
      ticking = true;
      tick().onComplete(ar -> {
        ticking = false;
        if (ar.failed()) {
          LOG.warn("alert evaluation failed: {}", ar.cause().getMessage());
        }
      });
    });
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    deliveries.close();
    return Future.succeededFuture();
  }

  private Future<Void> tick() {
    Future<List<ModelInstance>> replicas = instances.all().onSuccess(all -> metrics.replicas(nodeName, all));
    if (!membership.leads()) {
      return replicas.mapEmpty();
    }
    return Future.all(List.of(nodes.all(), replicas, state.modelStats(), state.knownDevices(), state.rules(), state.alerts(),
        state.receivers())).compose(read -> {
          Instant now = Instant.now();
          List<NodeRecord> nodeList = read.resultAt(0);
          Map<String, KnownDevices> known = read.resultAt(3);
          Map<String, Alert> before = read.resultAt(5);
          AlertSnapshot snapshot = new AlertSnapshot(nodeList, read.resultAt(1), read.resultAt(2), known);
          AlertEvaluator.Result result = AlertEvaluator.evaluate(snapshot, read.resultAt(4), before, now);
          result.transitions().forEach(t -> LOG.info("alert {} [id: {}] [{}]", t.alert().state().json(), t.alert().id(),
              t.alert().message()));
          return deliveries.enqueue(result.transitions(), read.resultAt(6), now)
              .compose(v -> state.replaceAlerts(before, result.alerts()))
              .compose(v -> state.replaceKnownDevices(known, result.knownDevices()))
              .compose(v -> deliveries.deliverDue(now));
        });
  }
}
