package dev.gantry.alerts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the gateways saw of one model over their last window (5 minutes), summed over every node:
 * requests, those answered with a server error (5xx), and the time to first token of streamed requests
 * as a histogram ({@code bounds} in seconds; {@code counts} per bucket, the last one above every bound).
 */
public record ModelStats(String model, long requests, long serverErrors, TreeMap<Double, Long> ttftBuckets,
    long ttftAbove) {

  public long streamed() {
    return ttftBuckets.values().stream().mapToLong(Long::longValue).sum() + ttftAbove;
  }

  /**
   * The {@code q} quantile of the time to first token, interpolated inside its bucket as Prometheus's
   * {@code histogram_quantile} does (a quantile above every bound answers the highest bound); null without
   * streamed requests.
   */
  public Double ttftQuantile(double q) {
    long total = streamed();
    if (total == 0) {
      return null;
    }
    double rank = q * total;
    double lower = 0;
    long below = 0;
    for (Map.Entry<Double, Long> bucket : ttftBuckets.entrySet()) {
      long count = bucket.getValue();
      if (count > 0 && below + count >= rank) {
        return lower + (bucket.getKey() - lower) * (rank - below) / count;
      }
      below += count;
      lower = bucket.getKey();
    }
    return lower;
  }

  /** Sums what every node published to {@code gantry.model-health} (JSON values), per model. */
  public static Map<String, ModelStats> sum(Collection<String> published) {
    Map<String, ModelStats> out = new HashMap<>();
    for (String raw : published) {
      JsonObject entry = new JsonObject(raw);
      ModelStats one = fromJson(entry);
      out.merge(one.model(), one, ModelStats::plus);
    }
    return out;
  }

  static ModelStats fromJson(JsonObject json) {
    TreeMap<Double, Long> buckets = new TreeMap<>();
    JsonObject ttft = json.getJsonObject("ttft", new JsonObject());
    JsonArray bounds = ttft.getJsonArray("bounds", new JsonArray());
    JsonArray counts = ttft.getJsonArray("counts", new JsonArray());
    for (int i = 0; i < bounds.size() && i < counts.size(); i++) {
      buckets.put(((Number) bounds.getValue(i)).doubleValue(), ((Number) counts.getValue(i)).longValue());
    }
    long above = counts.size() > bounds.size() ? ((Number) counts.getValue(bounds.size())).longValue() : 0;
    return new ModelStats(json.getString("model"), json.getLong("requests", 0L), json.getLong("server_errors", 0L),
        buckets, above);
  }

  ModelStats plus(ModelStats other) {
    TreeMap<Double, Long> buckets = new TreeMap<>(ttftBuckets);
    other.ttftBuckets.forEach((bound, count) -> buckets.merge(bound, count, Long::sum));
    return new ModelStats(model, requests + other.requests, serverErrors + other.serverErrors, buckets,
        ttftAbove + other.ttftAbove);
  }
}
