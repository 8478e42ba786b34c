package dev.gantry.alerts;

import io.vertx.core.json.JsonObject;

/**
 * A webhook that alert transitions are posted to: {@code format} {@code json} (the alert as Gantry shows
 * it, with {@code status}) or {@code slack} ({@code {"text": ...}}, which Slack, Mattermost and Rocket.Chat
 * incoming webhooks take). The URL often carries a token (Slack's does), so it is kept only sealed with
 * the cluster's {@code SecretBox} ({@link #PURPOSE}); {@link #publicView()} shows its host.
 */
public record AlertReceiver(String id, String name, String format, boolean enabled, String urlSealed, String urlHost) {

  public static final String PURPOSE = "alert-receiver";

  /** What the API and the console show: never the URL, sealed or not. */
  public JsonObject publicView() {
    return new JsonObject().put("id", id).put("name", name).put("format", format).put("enabled", enabled)
        .put("url_host", urlHost);
  }

  /** The cluster map's form (sealed URL included). */
  public JsonObject toJson() {
    return publicView().put("url_sealed", urlSealed);
  }

  public static AlertReceiver fromJson(JsonObject json) {
    return new AlertReceiver(json.getString("id"), json.getString("name"), json.getString("format"),
        json.getBoolean("enabled", true), json.getString("url_sealed"), json.getString("url_host"));
  }
}
