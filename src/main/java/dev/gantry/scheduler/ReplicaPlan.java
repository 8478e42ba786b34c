package dev.gantry.scheduler;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one scheduling round decided: instances to create, to remove, and changes to existing ones. */
public final class ReplicaPlan {

  private final List<JsonObject> created = new ArrayList<>();
  private final List<String> removed = new ArrayList<>();
  private final Map<String, JsonObject> changed = new LinkedHashMap<>();

  void create(JsonObject instance) {
    created.add(instance);
  }

  void remove(String id) {
    removed.add(id);
  }

  /** Records the fields to set on an existing instance (merged with earlier changes of the same round). */
  void change(String id, JsonObject fields) {
    changed.computeIfAbsent(id, k -> new JsonObject()).mergeIn(fields);
  }

  public List<JsonObject> created() {
    return created;
  }

  public List<String> removed() {
    return removed;
  }

  public Map<String, JsonObject> changed() {
    return changed;
  }

  public boolean isEmpty() {
    return created.isEmpty() && removed.isEmpty() && changed.isEmpty();
  }
}
