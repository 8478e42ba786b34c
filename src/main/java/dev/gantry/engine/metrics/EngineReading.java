package dev.gantry.engine.metrics;

import dev.gantry.engine.metrics.PrometheusText.Sample;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One scrape of one engine in Gantry's names: each metric summed over the engine's label sets (vLLM labels
 * by model and engine index), absent when the engine does not serve it. A summary keeps its sum and count.
 */
public record EngineReading(Map<EngineMetric, Double> values, Map<EngineMetric, Double> counts) {

  public static EngineReading of(List<Sample> samples, Map<EngineMetric, String> names) {
    Map<EngineMetric, Double> values = new EnumMap<>(EngineMetric.class);
    Map<EngineMetric, Double> counts = new EnumMap<>(EngineMetric.class);
    names.forEach((metric, name) -> {
      String valueName = metric.kind() == EngineMetric.Kind.SUMMARY ? name + "_sum" : name;
      Double value = sum(samples, valueName);
      if (value != null) {
        values.put(metric, value);
      }
      if (metric.kind() == EngineMetric.Kind.SUMMARY) {
        Double count = sum(samples, name + "_count");
        if (count != null) {
          counts.put(metric, count);
        }
      }
    });
    return new EngineReading(values, counts);
  }

  private static Double sum(List<Sample> samples, String name) {
    Double total = null;
    for (Sample sample : samples) {
      if (sample.name().equals(name) && !Double.isNaN(sample.value())) {
        total = (total == null ? 0 : total) + sample.value();
      }
    }
    return total;
  }

  public double value(EngineMetric metric) {
    return values.getOrDefault(metric, Double.NaN);
  }

  public double count(EngineMetric metric) {
    return counts.getOrDefault(metric, Double.NaN);
  }

  /** The values by {@link EngineMetric#key()} (summaries as {@code <key>_sum} and {@code <key>_count}). */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    values.forEach((metric, value) -> json.put(metric.kind() == EngineMetric.Kind.SUMMARY ? metric.key() + "_sum"
        : metric.key(), value));
    counts.forEach((metric, count) -> json.put(metric.key() + "_count", count));
    return json;
  }
}
