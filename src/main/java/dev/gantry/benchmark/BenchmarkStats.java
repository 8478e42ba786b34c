package dev.gantry.benchmark;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A run's results from its samples: counts, throughput, and percentiles (nearest rank) of time to first
 * token, time per output token, inter-token latency and end-to-end latency, in milliseconds; a bounded
 * series of the requests for plots; and the SLA targets met or missed.
 */
final class BenchmarkStats {

  static final double[] PERCENTILES = {50, 90, 95, 99};
  private static final int PLOT_POINTS = 2_000;

  private BenchmarkStats() {
  }

  static JsonObject summarize(List<Sample> samples, double elapsedSeconds, JsonObject sla) {
    List<Sample> ok = samples.stream().filter(Sample::ok).toList();
    long tokens = ok.stream().mapToLong(Sample::outputTokens).sum();
    JsonObject results = new JsonObject()
        .put("requests", samples.size())
        .put("succeeded", ok.size())
        .put("failed", samples.size() - ok.size())
        .put("elapsed_seconds", round(elapsedSeconds))
        .put("request_throughput", round(elapsedSeconds <= 0 ? 0 : ok.size() / elapsedSeconds))
        .put("output_token_throughput", round(elapsedSeconds <= 0 ? 0 : tokens / elapsedSeconds))
        .put("output_tokens", tokens)
        .put("ttft_ms", distribution(ok, Sample::ttftMs))
        .put("tpot_ms", distribution(ok, Sample::tpotMs))
        .put("itl_ms", distribution(ok, Sample::meanGapMs))
        .put("latency_ms", distribution(ok, Sample::latencyMs))
        .put("errors", errors(samples))
        .put("series", series(samples));
    if (sla != null) {
      results.put("sla", check(sla, results));
    }
    return results;
  }

  /** mean and p50/p90/p95/p99 of the defined values; empty when there are none. */
  static JsonObject distribution(List<Sample> samples, ToDoubleFunction<Sample> value) {
    double[] values = samples.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).sorted().toArray();
    JsonObject json = new JsonObject().put("count", values.length);
    if (values.length == 0) {
      return json;
    }
    json.put("mean", round(Arrays.stream(values).average().orElse(0)));
    for (double p : PERCENTILES) {
      json.put("p" + (int) p, round(percentile(values, p)));
    }
    return json.put("max", round(values[values.length - 1]));
  }

  /** Nearest rank: the smallest value with at least p % of the values at or below it. */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** Each target ({@code ttft_p95_ms: 500} and so on) with what was measured and whether it was met. */
  static JsonObject check(JsonObject sla, JsonObject results) {
    JsonArray targets = new JsonArray();
    boolean met = true;
    for (Map.Entry<String, Object> target : sla.getJsonObject("targets").getMap().entrySet()) {
      String[] parts = target.getKey().split("_");  // ttft_p95_ms -> ttft, p95
      double limit = ((Number) target.getValue()).doubleValue();
      Double measured = target.getKey().equals("error_rate") ? errorRate(results)
          : results.getJsonObject(parts[0] + "_ms", new JsonObject()).getDouble(parts[1]);
      boolean ok = measured != null && measured <= limit;
      met &= ok;
      targets.add(new JsonObject().put("target", target.getKey()).put("limit", limit).put("measured", measured).put("met", ok));
    }
    return new JsonObject().put("preset", sla.getString("preset")).put("met", met).put("targets", targets);
  }

  private static Double errorRate(JsonObject results) {
    int requests = results.getInteger("requests");
    return requests == 0 ? null : round((double) results.getInteger("failed") / requests);
  }

  private static JsonArray errors(List<Sample> samples) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    samples.stream().filter(s -> !s.ok()).forEach(s -> counts.merge(s.error() == null ? "HTTP " + s.status() : s.error(), 1, Integer::sum));
    JsonArray errors = new JsonArray();
    counts.entrySet().stream().limit(10).forEach(e -> errors.add(new JsonObject().put("error", e.getKey()).put("count", e.getValue())));
    return errors;
  }

  /** [start ms, ttft ms, latency ms, ok] per request, every n-th when there are more than the plot holds. */
  private static JsonArray series(List<Sample> samples) {
    JsonArray series = new JsonArray();
    int step = Math.max(1, (int) Math.ceil(samples.size() / (double) PLOT_POINTS));
    for (int i = 0; i < samples.size(); i += step) {
      Sample s = samples.get(i);
      series.add(new JsonArray().add(round(s.startMs())).add(Double.isNaN(s.ttftMs()) ? null : round(s.ttftMs()))
          .add(round(s.latencyMs())).add(s.ok()));
    }
    return series;
  }

  static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
