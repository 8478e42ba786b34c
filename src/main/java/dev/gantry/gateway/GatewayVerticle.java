package dev.gantry.gateway;

import dev.gantry.route.Routing;
import io.vertx.core.Future;
import dev.gantry.limits.QuotaLedger;
import dev.gantry.limits.RateLimiter;
import io.vertx.core.VerticleBase;

/**
 * Keeps the gateway's cluster view current on this node: loads the model and instance mirrors (and
 * re-reads them every {@link #SWEEP_MS} ms to repair a missed event), follows the other nodes'
 * in-flight counts and publishes this node's every {@link InstanceLoad#PUBLISH_MS} ms; publishes its rate
 * counts every {@link RateLimiter#PUBLISH_MS} ms and adds its quota charges to the cluster's every
 * {@link QuotaLedger#FLUSH_MS} ms.
 */
public final class GatewayVerticle extends VerticleBase {

  static final long SWEEP_MS = 10_000;

  private final InstanceDirectory directory;
  private final InstanceLoad load;
  private final ModelDemand demand;
  private final ModelHealth health;
  private final Routing routing;
  private final Admission admission;
  private long publishTimer = -1;
  private long sweepTimer = -1;
  private long limitsTimer = -1;
  private long quotaTimer = -1;

  GatewayVerticle(InstanceDirectory directory, InstanceLoad load, ModelDemand demand, ModelHealth health,
      Admission admission, Routing routing) {
    this.routing = routing;
    this.directory = directory;
    this.load = load;
    this.demand = demand;
    this.health = health;
    this.admission = admission;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(() -> {
      directory.start();
      load.start();
      admission.limiter().startBlocking();
      admission.ledger().startBlocking();
      admission.names().startBlocking();
      return null;
    }).onSuccess(v -> {
      publishTimer = vertx.setPeriodic(InstanceLoad.PUBLISH_MS, t -> {
        long now = System.currentTimeMillis();
        load.publish(now);
        demand.publish(now);
        health.publish(now);
      });
      sweepTimer = vertx.setPeriodic(SWEEP_MS, t -> vertx.executeBlocking(() -> {
        directory.resync();
        admission.names().resyncBlocking();
        routing.resyncBlocking();
        return null;
      }, false));
      tickLimits();
      quotaTimer = vertx.setPeriodic(QuotaLedger.FLUSH_MS, t -> vertx.executeBlocking(() -> {
        admission.ledger().flushBlocking();
        return null;
      }, false));
    });
  }

  /** Publishes the rate counts at every tick of the clock's {@link RateLimiter#PUBLISH_MS} grid, as every node does. */
  private void tickLimits() {
    limitsTimer = vertx.setTimer(Math.max(1, admission.limiter().untilNextTick()), t -> {
      admission.limiter().publish();
      tickLimits();
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(publishTimer);
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(limitsTimer);
    vertx.cancelTimer(quotaTimer);
    return Future.succeededFuture();
  }
}
