package dev.gantry.scheduler.autoscale;

import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The engines' latest readings summed per model, from {@code gantry.engine-load} (one entry per running
 * instance, kept 30 s): requests queued in the engines, and the mean KV cache use of those that report it.
 */
record EngineLoads(Map<String, Double> queued, Map<String, double[]> kv) {

  static EngineLoads of(Collection<String> entries) {
    Map<String, Double> queued = new HashMap<>();
    Map<String, double[]> kv = new HashMap<>();
    for (String raw : entries) {
      JsonObject entry = new JsonObject(raw);
      String model = entry.getString("model");
      if (model == null) {
        continue;
      }
      Double waiting = entry.getDouble("requests_waiting");
      if (waiting != null) {
        queued.merge(model, waiting, Double::sum);
      }
      Double usage = entry.getDouble("kv_cache_usage_ratio");
      if (usage != null) {
        double[] sum = kv.computeIfAbsent(model, m -> new double[2]);
        sum[0] += usage;
        sum[1]++;
      }
    }
    return new EngineLoads(queued, kv);
  }

  double queued(String model) {
    return queued.getOrDefault(model, 0.0);
  }

  /** Mean KV cache use of the model's engines that report it; NaN when none does. */
  double kvUsage(String model) {
    double[] sum = kv.get(model);
    return sum == null || sum[1] == 0 ? Double.NaN : sum[0] / sum[1];
  }
}
