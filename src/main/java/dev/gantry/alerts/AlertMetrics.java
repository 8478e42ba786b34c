package dev.gantry.alerts;

import dev.gantry.cluster.ModelInstance;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code gantry_alert_deliveries_total{receiver,result}} (result {@code delivered}, {@code failed} for an
 * attempt that will be retried, {@code dropped} after the last attempt), counted on the node that leads,
 * and {@code gantry_node_replicas{model,state}}: the replicas placed on this node by state, which the shipped
 * Prometheus rules use for "replica in error".
 */
public final class AlertMetrics {

  private final MeterRegistry registry;
  private final MultiGauge replicas;

  public AlertMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.replicas = MultiGauge.builder("gantry_node_replicas")
        .description("Replicas placed on this node, by model and state").register(registry);
  }

  void delivery(String receiver, String result) {
    Counter.builder("gantry_alert_deliveries").description("Alert webhook deliveries by receiver and result")
        .tags("receiver", receiver, "result", result).register(registry).increment();
  }

  /** Sets the replica gauges from the replicas placed on {@code node}; a model and state with none has no series. */
  void replicas(String node, List<ModelInstance> all) {
    Map<Tags, Long> counts = all.stream().filter(i -> i.on(node))
        .collect(Collectors.groupingBy(i -> Tags.of("model", i.modelName(), "state", i.state().json()), Collectors.counting()));
    List<MultiGauge.Row<?>> rows = counts.entrySet().stream()
        .<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(e.getKey(), e.getValue())).toList();
    replicas.register(rows, true);
  }
}
