package dev.gantry.testing.fuzz;

import dev.gantry.testing.fuzz.RawHttp.Answer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Map;

/**
 * The stored state a write may change, as an admin sees it: users, API keys, models, and each
 * node's labels and maintenance flag. Two equal snapshots mean nothing was (half-)written between them.
 * An autoscaled model's replicas are left out: the autoscaler changes them on its own.
 */
public record ResourceSnapshot(JsonArray users, JsonArray keys, JsonArray models, JsonArray nodes) {

  public static ResourceSnapshot take(RawHttp http, Map<String, String> adminHeaders) throws IOException {
    JsonArray nodes = new JsonArray();
    for (Object raw : items(http, adminHeaders, "/v2/nodes")) {
      JsonObject node = (JsonObject) raw;
      nodes.add(new JsonObject().put("name", node.getValue("name")).put("labels", node.getValue("labels"))
          .put("maintenance", node.getValue("maintenance")));
    }
    JsonArray models = new JsonArray();
    for (Object raw : items(http, adminHeaders, "/v2/models")) {
      JsonObject model = ((JsonObject) raw).copy();
      if (model.getValue("autoscale") != null) {
        model.remove("replicas");  // the autoscaler's to set, at any moment
        model.remove("updated_at");
      }
      models.add(model);
    }
    return new ResourceSnapshot(items(http, adminHeaders, "/v2/users"), items(http, adminHeaders, "/v2/api-keys"),
        models, nodes);
  }

  /** What differs from an earlier snapshot, in words (empty when nothing does). */
  public String changesSince(ResourceSnapshot before) {
    StringBuilder out = new StringBuilder();
    compare(out, "users", before.users, users);
    compare(out, "api-keys", before.keys, keys);
    compare(out, "models", before.models, models);
    compare(out, "nodes", before.nodes, nodes);
    return out.toString();
  }

  private static void compare(StringBuilder out, String what, JsonArray before, JsonArray after) {
    if (!before.equals(after)) {
      out.append(what).append(" changed: ").append(abbreviate(before.encode())).append(" -> ")
          .append(abbreviate(after.encode())).append("; ");
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 600 ? text : text.substring(0, 600) + "...";
  }

  private static JsonArray items(RawHttp http, Map<String, String> headers, String path) throws IOException {
    Answer answer = http.send("GET", path + "?perPage=1000&sort_by=" + (path.endsWith("nodes") ? "name" : "created_at"),
        headers, null, null);
    if (answer.status() != 200) {
      throw new IllegalStateException("cannot list " + path + " for the snapshot: " + answer.status() + " " + answer.body());
    }
    return new JsonObject(answer.body()).getJsonArray("items");
  }
}
