package dev.gantry.alerts;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** The body posted to a receiver for one transition, by the receiver's format. */
final class WebhookPayloads {

  static final String JSON = "json";
  static final String SLACK = "slack";

  /**
   * {@code json}: {@code {"status": "firing"|"resolved", "alert": <the alert as /v2/alerts shows it>}};
   * {@code slack}: {@code {"text": "[FIRING] critical: <message>"}}.
   */
  static JsonObject of(String format, Alert alert) {
    String status = alert.state().json();
    if (SLACK.equals(format)) {
      return new JsonObject().put("text", "[" + status.toUpperCase(Locale.ROOT) + "] " + alert.severity() + ": "
          + alert.message());
    }
    return new JsonObject().put("status", status).put("alert", alert.toJson());
  }

  private WebhookPayloads() {
  }
}
