package dev.gantry.engine.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The latest reading of each engine of this node as Micrometer meters tagged {@code model}, {@code instance}
 * and {@code backend} (the registry adds {@code node}): gauges, function counters and function timers
 * (a summary's {@code _sum}/{@code _count}) that read the latest scrape. A meter appears once its engine
 * serves the metric and goes with its instance. Confined to one event loop.
 */
public final class EngineMetricsExport {

  private final MeterRegistry registry;
  private final Map<String, Exported> byInstance = new HashMap<>();

  public EngineMetricsExport(MeterRegistry registry) {
    this.registry = registry;
  }

  private record Exported(AtomicReference<EngineReading> latest, Map<EngineMetric, Meter> meters, Tags tags) {
  }

  public void update(ScrapeTarget target, EngineReading reading) {
    Exported exported = byInstance.computeIfAbsent(target.instanceId(), id -> new Exported(new AtomicReference<>(reading),
        new EnumMap<>(EngineMetric.class), Tags.of("model", target.model(), "instance", target.instanceName(),
            "backend", target.backend())));
    exported.latest().set(reading);
    for (EngineMetric metric : reading.values().keySet()) {
      exported.meters().computeIfAbsent(metric, m -> register(m, exported));
    }
  }

  private Meter register(EngineMetric metric, Exported exported) {
    AtomicReference<EngineReading> latest = exported.latest();
    return switch (metric.kind()) {
      case GAUGE -> Gauge.builder(metric.meterName(), latest, r -> r.get().value(metric)).tags(exported.tags())
          .register(registry);
      case COUNTER -> FunctionCounter.builder(metric.meterName(), latest, r -> r.get().value(metric))
          .tags(exported.tags()).register(registry);
      case SUMMARY -> FunctionTimer.builder(metric.meterName(), latest, r -> (long) zeroIfNaN(r.get().count(metric)),
          r -> zeroIfNaN(r.get().value(metric)), TimeUnit.SECONDS).tags(exported.tags()).register(registry);
    };
  }

  private static double zeroIfNaN(double value) {
    return Double.isNaN(value) ? 0 : value;
  }

  /** Drops the meters of every instance not in {@code keep}; answers the ids dropped. */
  public List<String> retain(Set<String> keep) {
    List<String> gone = new ArrayList<>(byInstance.keySet().stream().filter(id -> !keep.contains(id)).toList());
    gone.forEach(id -> byInstance.remove(id).meters().values().forEach(registry::remove));
    return gone;
  }
}
