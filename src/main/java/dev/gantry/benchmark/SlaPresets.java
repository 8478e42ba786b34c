package dev.gantry.benchmark;

import dev.gantry.common.ApiException;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * SLA targets a run is checked against: a named preset or the caller's own targets
 * ({@code ttft_p95_ms}, {@code tpot_p95_ms}, {@code itl_p95_ms}, {@code latency_p99_ms}, {@code error_rate}, …).
 */
public final class SlaPresets {

  static final Map<String, JsonObject> PRESETS = Map.of(
      "chat", new JsonObject().put("ttft_p95_ms", 500).put("tpot_p95_ms", 50).put("error_rate", 0.01),
      "code-completion", new JsonObject().put("ttft_p95_ms", 200).put("latency_p95_ms", 2000).put("error_rate", 0.01),
      "batch", new JsonObject().put("latency_p99_ms", 60_000).put("error_rate", 0.001));

  private SlaPresets() {
  }

  /** {preset, targets} from {@code "chat"} or {@code {"preset": ..., "targets": {...}}}; null for none. */
  public static JsonObject resolve(Object sla) {
    if (sla == null) {
      return null;
    }
    if (sla instanceof String name) {
      JsonObject targets = PRESETS.get(name);
      if (targets == null) {
        throw new ApiException(400, "invalid_request", "sla preset '" + name + "' does not exist; presets: "
            + String.join(", ", PRESETS.keySet().stream().sorted().toList()) + ", or give {\"targets\": {...}}", "sla");
      }
      return new JsonObject().put("preset", name).put("targets", targets.copy());
    }
    if (sla instanceof JsonObject own && own.getValue("targets") instanceof JsonObject targets && !targets.isEmpty()) {
      for (Map.Entry<String, Object> target : targets) {
        if (!target.getKey().matches("(ttft|tpot|itl|latency)_p(50|90|95|99)_ms|error_rate")
            || !(target.getValue() instanceof Number n) || n.doubleValue() < 0) {
          throw new ApiException(400, "invalid_request", "sla target '" + target.getKey() + "' must be one of "
              + "ttft|tpot|itl|latency _p50|p90|p95|p99_ms or error_rate, with a number >= 0", "sla.targets");
        }
      }
      return new JsonObject().put("preset", own.getString("preset", "custom")).put("targets", targets.copy());
    }
    throw new ApiException(400, "invalid_request", "sla is a preset name or {\"targets\": {\"ttft_p95_ms\": 500, ...}}", "sla");
  }
}
