package dev.gantry.tuning;

import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;

/**
 * How a measured candidate compares: one that meets the SLA beats one that does not; then more output
 * tokens per second; then a lower p95 time to first token. A candidate without figures (it failed to
 * deploy or was cancelled before it was measured) never wins.
 */
final class CandidateScore {

  private static final Comparator<JsonObject> BEST_FIRST = Comparator
      .<JsonObject, Boolean>comparing(f -> !f.getBoolean("sla_met", true))
      .thenComparing(f -> -f.getDouble("output_token_throughput", 0.0))
      .thenComparing(f -> f.getDouble("ttft_p95_ms", Double.MAX_VALUE));

  private CandidateScore() {
  }

  /** The figures kept for a candidate from its benchmark's results. */
  static JsonObject figures(JsonObject results) {
    JsonObject sla = results.getJsonObject("sla");
    return new JsonObject()
        .put("sla_met", sla == null || sla.getBoolean("met", false))
        .put("output_token_throughput", results.getDouble("output_token_throughput", 0.0))
        .put("request_throughput", results.getDouble("request_throughput", 0.0))
        .put("ttft_p95_ms", percentile(results, "ttft_ms"))
        .put("tpot_p95_ms", percentile(results, "tpot_ms"))
        .put("latency_p95_ms", percentile(results, "latency_ms"))
        .put("requests", results.getInteger("requests", 0))
        .put("failed", results.getInteger("failed", 0));
  }

  /** The index of the best candidate (by its {@code figures}), or -1 when none was measured. */
  static int winner(List<JsonObject> candidates) {
    int best = -1;
    for (int i = 0; i < candidates.size(); i++) {
      JsonObject figures = candidates.get(i).getJsonObject("figures");
      if (figures == null || figures.getInteger("requests", 0) == figures.getInteger("failed", 0)) {
        continue;
      }
      if (best < 0 || BEST_FIRST.compare(figures, candidates.get(best).getJsonObject("figures")) < 0) {
        best = i;
      }
    }
    return best;
  }

  private static Double percentile(JsonObject results, String field) {
    JsonObject distribution = results.getJsonObject(field);
    return distribution == null ? null : distribution.getDouble("p95");
  }
}
