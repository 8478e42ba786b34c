package dev.gantry.model.history;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One model's history over the cluster from each node's answer ({@code {"node", "series": {metric:
 * [[epoch_ms, value], ...]}}}): the nodes' steps are aligned to the same clock, so points of one time are
 * added up for counts and rates ({@link ModelSeries#SUMMED}) and averaged over the nodes that have one for
 * ratios and latencies. Pure.
 */
final class ModelHistoryMerge {

  static JsonObject series(List<JsonObject> answers) {
    Map<String, TreeMap<Long, double[]>> merged = new TreeMap<>();
    for (JsonObject answer : answers) {
      answer.getJsonObject("series", new JsonObject()).forEach(entry -> {
        TreeMap<Long, double[]> points = merged.computeIfAbsent(entry.getKey(), k -> new TreeMap<>());
        for (Object item : (JsonArray) entry.getValue()) {
          JsonArray point = (JsonArray) item;
          double[] sum = points.computeIfAbsent(point.getLong(0), t -> new double[2]);
          sum[0] += point.getDouble(1);
          sum[1]++;
        }
      });
    }
    JsonObject out = new JsonObject();
    merged.forEach((metric, points) -> {
      boolean summed = ModelSeries.SUMMED.contains(metric);
      JsonArray array = new JsonArray();
      points.forEach((time, sum) -> array.add(new JsonArray().add(time).add(summed ? sum[0] : sum[0] / sum[1])));
      out.put(metric, array);
    });
    return out;
  }

  private ModelHistoryMerge() {
  }
}
