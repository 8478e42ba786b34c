package dev.gantry.node.history;

import dev.gantry.node.history.MetricsHistory.Key;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API's form of a node's history: {@code {node, range, step_seconds, cpu, memory_used, memory_total,
 * devices: [{id, memory_used, utilization, temperature, power}]}}, each series an array of
 * {@code [epoch_ms, value]} oldest first (a series with no points in the range is left out).
 */
final class HistoryJson {

  static JsonObject of(String node, HistoryRange range, Map<Key, List<double[]>> series) {
    JsonObject out = new JsonObject().put("node", node).put("range", range.label())
        .put("step_seconds", range.stepMs() / 1000);
    Map<String, JsonObject> devices = new LinkedHashMap<>();
    series.forEach((key, points) -> {
      JsonObject target = key.device() == null ? out
          : devices.computeIfAbsent(key.device(), id -> new JsonObject().put("id", id));
      target.put(key.metric(), points(points));
    });
    return out.put("devices", new JsonArray(List.copyOf(devices.values())));
  }

  private static JsonArray points(List<double[]> points) {
    JsonArray out = new JsonArray();
    for (double[] point : points) {
      out.add(new JsonArray().add((long) point[0]).add(point[1]));
    }
    return out;
  }

  private HistoryJson() {
  }
}
