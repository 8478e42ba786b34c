package dev.gantry.alerts;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * The devices one node listed since it last started ({@code startedAt} of its record): device id → a
 * name to show. A node that restarts begins a new list, so a card taken out stops alerting once its
 * node restarted without it.
 */
public record KnownDevices(String startedAt, Map<String, String> devices) {

  public KnownDevices {
    devices = Map.copyOf(devices);
  }

  public JsonObject toJson() {
    JsonObject list = new JsonObject();
    new TreeMap<>(devices).forEach(list::put);
    return new JsonObject().put("started_at", startedAt).put("devices", list);
  }

  public static KnownDevices fromJson(JsonObject json) {
    Map<String, String> devices = new TreeMap<>();
    json.getJsonObject("devices", new JsonObject()).forEach(e -> devices.put(e.getKey(), String.valueOf(e.getValue())));
    return new KnownDevices(json.getString("started_at"), devices);
  }
}
