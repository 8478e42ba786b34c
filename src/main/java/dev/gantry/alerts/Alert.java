package dev.gantry.alerts;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;

/**
 * One alert: a rule's condition on one subject (a node, replica, device or model). {@code id} is
 * {@code <rule id>/<subject>}, so the same trouble keeps its alert from one evaluation to the next.
 * {@code startedAt} is when the condition was first seen, {@code firingAt} when it had held for the rule's
 * {@code for}, {@code resolvedAt} when it cleared after firing.
 */
public record Alert(String id, String ruleId, AlertKind kind, String severity, State state, JsonObject labels,
    String message, Double value, Instant startedAt, Instant firingAt, Instant resolvedAt) {

  /** Where an alert is: waiting out its rule's {@code for}, firing, or resolved after it fired. */
  public enum State {
    PENDING, FIRING, RESOLVED;

    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static State fromJson(String value) {
      return valueOf(value.toUpperCase(Locale.ROOT));
    }
  }

  public Alert {
    labels = labels == null ? new JsonObject() : labels.copy();
  }

  boolean active() {
    return state != State.RESOLVED;
  }

  Alert firing(Instant now, String newMessage, Double newValue) {
    return new Alert(id, ruleId, kind, severity, State.FIRING, labels, newMessage, newValue, startedAt, now, null);
  }

  Alert resolved(Instant now) {
    return new Alert(id, ruleId, kind, severity, State.RESOLVED, labels, message, value, startedAt, firingAt, now);
  }

  Alert seen(String newMessage, Double newValue, String newSeverity) {
    return new Alert(id, ruleId, kind, newSeverity, state, labels, newMessage, newValue, startedAt, firingAt, resolvedAt);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("rule_id", ruleId).put("kind", kind.json()).put("severity", severity)
        .put("state", state.json()).put("labels", labels.copy()).put("message", message).put("value", value)
        .put("started_at", text(startedAt)).put("firing_at", text(firingAt)).put("resolved_at", text(resolvedAt));
  }

  public static Alert fromJson(JsonObject json) {
    Number value = json.getNumber("value");
    return new Alert(json.getString("id"), json.getString("rule_id"), AlertKind.fromJson(json.getString("kind")),
        json.getString("severity"), State.fromJson(json.getString("state")), json.getJsonObject("labels"),
        json.getString("message"), value == null ? null : value.doubleValue(), instant(json.getString("started_at")),
        instant(json.getString("firing_at")), instant(json.getString("resolved_at")));
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
