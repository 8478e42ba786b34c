package dev.gantry.cluster;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an admin sets on a node (kept in PostgreSQL, shared through {@code gantry.node-settings}):
 * labels, maintenance (no new replicas here), and drain (in maintenance, its replicas also move to other
 * nodes, each stopping once its replacement runs).
 */
public record NodeSettings(Map<String, String> labels, boolean maintenance, boolean drain) {

  public static final NodeSettings NONE = new NodeSettings(Map.of(), false, false);

  public NodeSettings {
    labels = Map.copyOf(labels);
    drain = drain && maintenance;
  }

  public NodeSettings(Map<String, String> labels, boolean maintenance) {
    this(labels, maintenance, false);
  }

  public JsonObject toJson() {
    return new JsonObject().put("labels", labelsJson(labels)).put("maintenance", maintenance).put("drain", drain);
  }

  public static NodeSettings fromJson(JsonObject json) {
    return new NodeSettings(labels(json.getJsonObject("labels")), json.getBoolean("maintenance", false),
        json.getBoolean("drain", false));
  }

  static JsonObject labelsJson(Map<String, String> labels) {
    return new JsonObject(new HashMap<>(new TreeMap<>(labels)));
  }

  static Map<String, String> labels(JsonObject json) {
    Map<String, String> out = new HashMap<>();
    if (json != null) {
      json.forEach(entry -> out.put(entry.getKey(), String.valueOf(entry.getValue())));
    }
    return out;
  }
}
