package dev.gantry.alerts;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * One alert rule: what it watches ({@link AlertKind}), the threshold where the kind has one, how long the
 * condition must hold before the alert fires ({@code for}), optional selectors (exact model or node name),
 * severity ({@code critical}, {@code warning}, {@code info}), whether it is on, and whether it is one of the
 * built-in defaults (those can be edited and disabled, never deleted). {@code minRequests} is the fewest
 * requests in the window before a per-model rule judges a model at all.
 */
public record AlertRule(String id, AlertKind kind, Double threshold, Duration forDuration, String model, String node,
    String severity, boolean enabled, boolean builtin, int minRequests) {

  public static final int DEFAULT_MIN_REQUESTS = 20;

  public JsonObject toJson() {
    return spec().put("id", id).put("builtin", builtin);
  }

  /** What the database keeps of the rule (all but id and builtin). */
  public JsonObject spec() {
    JsonObject json = new JsonObject().put("kind", kind.json()).put("for_seconds", forDuration.toSeconds())
        .put("severity", severity).put("enabled", enabled);
    if (threshold != null) {
      json.put("threshold", threshold);
    }
    if (model != null) {
      json.put("model", model);
    }
    if (node != null) {
      json.put("node", node);
    }
    if (kind.perModel()) {
      json.put("min_requests", minRequests);
    }
    return json;
  }

  /** Reads {@link #toJson()} (or a stored spec with its id and builtin flag added). */
  public static AlertRule fromJson(JsonObject json) {
    Number threshold = json.getNumber("threshold");
    return new AlertRule(json.getString("id"), AlertKind.fromJson(json.getString("kind")),
        threshold == null ? null : threshold.doubleValue(), Duration.ofSeconds(json.getLong("for_seconds", 0L)),
        json.getString("model"), json.getString("node"), json.getString("severity", "warning"),
        json.getBoolean("enabled", true), json.getBoolean("builtin", false),
        json.getInteger("min_requests", DEFAULT_MIN_REQUESTS));
  }

  /** Whether the rule looks at this model (no selector: every model). */
  boolean selectsModel(String name) {
    return model == null || model.equals(name);
  }

  /** Whether the rule looks at this node (no selector: every node). */
  boolean selectsNode(String name) {
    return node == null || node.equals(name);
  }
}
