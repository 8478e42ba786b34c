package dev.gantry.gateway;

import dev.gantry.route.Routing;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Keeps the gateway's cluster view current on this node: loads the model and instance mirrors (and
 * re-reads them every {@link #SWEEP_MS} ms to repair a missed event), follows the other nodes'
 * in-flight counts and publishes this node's every {@link InstanceLoad#PUBLISH_MS} ms.
 */
public final class GatewayVerticle extends VerticleBase {

  static final long SWEEP_MS = 10_000;

  private final InstanceDirectory directory;
  private final InstanceLoad load;
  private final ModelDemand demand;
  private final ModelHealth health;
  private final Routing routing;
  private long publishTimer = -1;
  private long sweepTimer = -1;

  GatewayVerticle(InstanceDirectory directory, InstanceLoad load, ModelDemand demand, ModelHealth health,
      Routing routing) {
    this.routing = routing;
    this.directory = directory;
    this.load = load;
    this.demand = demand;
    this.health = health;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(() -> {
      directory.start();
      load.start();
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
        routing.resyncBlocking();
        return null;
      }, false));
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(publishTimer);
    vertx.cancelTimer(sweepTimer);
    return Future.succeededFuture();
  }
}
