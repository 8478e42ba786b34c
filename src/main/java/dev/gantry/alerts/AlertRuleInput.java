package dev.gantry.alerts;

import dev.gantry.common.ApiException;
import dev.gantry.common.Ids;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Turns a request body (already checked against its schema in {@code openapi.json}: types, enums,
 * ranges) into a rule, with the checks a schema cannot say: a threshold where the kind needs one and in its
 * kind's range, no threshold or selector where the kind has no use for it, the kind of an existing rule
 * never changing. Each refusal is a 400 that names the field.
 */
final class AlertRuleInput {

  static AlertRule create(JsonObject body) {
    AlertKind kind = AlertKind.fromJson(body.getString("kind"));
    if (kind == null) {
      throw ApiException.badRequest("kind: required, one of node_unreachable, replica_error, device_temperature, "
          + "device_vanished, model_error_rate, model_ttft_p95, device_ecc_errors, device_unhealthy");
    }
    AlertRule blank = new AlertRule("r-" + Ids.random(10), kind, null, Duration.ZERO, null, null, "warning", true, false,
        AlertRule.DEFAULT_MIN_REQUESTS);
    return check(apply(blank, body));
  }

  static AlertRule update(AlertRule existing, JsonObject body) {
    if (body.containsKey("kind") && !existing.kind().json().equals(body.getValue("kind"))) {
      throw ApiException.badRequest("kind: a rule's kind cannot change (it is " + existing.kind().json()
          + "); create a new rule instead");
    }
    return check(apply(existing, body));
  }

  private static AlertRule apply(AlertRule base, JsonObject body) {
    Double threshold = body.containsKey("threshold") ? number(body, "threshold") : base.threshold();
    Duration forDuration = body.containsKey("for_seconds") ? Duration.ofSeconds(body.getLong("for_seconds"))
        : base.forDuration();
    String model = body.containsKey("model") ? body.getString("model") : base.model();
    String node = body.containsKey("node") ? body.getString("node") : base.node();
    return new AlertRule(base.id(), base.kind(), threshold, forDuration, model, node,
        body.getString("severity", base.severity()), body.getBoolean("enabled", base.enabled()), base.builtin(),
        body.getInteger("min_requests", base.minRequests()));
  }

  private static AlertRule check(AlertRule rule) {
    AlertKind kind = rule.kind();
    if (kind.needsThreshold() && rule.threshold() == null) {
      throw ApiException.badRequest("threshold: a " + kind.json() + " rule needs a threshold (" + range(kind) + ")");
    }
    if (!kind.needsThreshold() && rule.threshold() != null) {
      throw ApiException.badRequest("threshold: a " + kind.json() + " rule takes no threshold; leave it out");
    }
    if (rule.threshold() != null && !inRange(kind, rule.threshold())) {
      throw ApiException.badRequest("threshold: " + rule.threshold() + " is out of range for " + kind.json() + " ("
          + range(kind) + ")");
    }
    if (rule.model() != null && !kind.takesModel()) {
      throw ApiException.badRequest("model: a " + kind.json() + " rule does not watch models; leave the model out");
    }
    if (rule.node() != null && !kind.takesNode()) {
      throw ApiException.badRequest("node: a " + kind.json() + " rule watches models across nodes; leave the node out");
    }
    return rule;
  }

  private static boolean inRange(AlertKind kind, double value) {
    return switch (kind) {
      case DEVICE_TEMPERATURE -> value > 0 && value <= 200;
      case MODEL_ERROR_RATE -> value >= 0 && value < 1;
      case MODEL_TTFT_P95 -> value > 0 && value <= 600;
      default -> true;
    };
  }

  private static String range(AlertKind kind) {
    return switch (kind) {
      case DEVICE_TEMPERATURE -> "degrees Celsius above 0, at most 200, e.g. 90";
      case MODEL_ERROR_RATE -> "a ratio from 0 up to 1, e.g. 0.05 for 5 %";
      case MODEL_TTFT_P95 -> "seconds above 0, at most 600, e.g. 2";
      default -> "none";
    };
  }

  private static Double number(JsonObject body, String field) {
    Object value = body.getValue(field);
    return value == null ? null : ((Number) value).doubleValue();
  }

  private AlertRuleInput() {
  }
}
