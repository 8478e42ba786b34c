package dev.gantry.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;

/** One Prometheus registry per node: Vert.x metrics (HTTP labelled by route, never by raw path) plus JVM metrics. */
public final class MetricsSetup {

  public static PrometheusMeterRegistry registry(String nodeName) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("node", nodeName);
    registry.config().meterFilter(new io.micrometer.core.instrument.config.MeterFilter() {
      @Override
      public io.micrometer.core.instrument.distribution.DistributionStatisticConfig configure(
          io.micrometer.core.instrument.Meter.Id id, io.micrometer.core.instrument.distribution.DistributionStatisticConfig config) {
        return id.getName().startsWith("vertx.http.server.response.time")
            ? io.micrometer.core.instrument.distribution.DistributionStatisticConfig.builder()
                .percentilesHistogram(true).build().merge(config)
            : config;
      }
    });
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return registry;
  }

  /**
   * Vert.x's own meters: the HTTP server's (requests by route, method and code; recorded by
   * {@link HttpServerMeters} when the node's Vert.x is built with {@link GantryVertxMetrics}) and the rest, but not the
   * HTTP client's: the gateway's requests to engines are measured by {@code gantry_gateway_*} (duration,
   * TTFT, upstream connection failures), and per-request client meters by remote address cost the gateway's
   * hot path a second round of meter lookups for nothing anyone charts.
   */
  public static MicrometerMetricsOptions vertxOptions() {
    return new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(false)
        .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
        .addLabels(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE);
  }

  private MetricsSetup() {
  }
}
