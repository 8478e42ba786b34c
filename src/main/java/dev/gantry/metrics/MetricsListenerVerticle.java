package dev.gantry.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * The management listener of {@code --metrics-port}: {@code GET /metrics} in plain Prometheus text and
 * nothing else, without authentication — it is meant for a scraper on a private address (by default it
 * binds loopback only).
 */
public final class MetricsListenerVerticle extends VerticleBase {

  private final PrometheusMeterRegistry registry;
  private final String host;
  private final int port;

  public MetricsListenerVerticle(PrometheusMeterRegistry registry, String host, int port) {
    this.registry = registry;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    return vertx.createHttpServer().requestHandler(router).listen(port, host);
  }
}
