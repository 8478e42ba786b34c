package dev.gantry.cluster;

import com.hazelcast.map.IMap;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A Hazelcast map of JSON strings with compare-and-set updates, so that several writers (scheduler,
 * node agents, liveness) can change different fields of one record without losing each other's
 * writes. Blocking: call from a worker.
 */
public final class JsonMap {

  private final IMap<String, String> map;

  public JsonMap(IMap<String, String> map) {
    this.map = map;
  }

  public IMap<String, String> raw() {
    return map;
  }

  public JsonObject get(String key) {
    String raw = map.get(key);
    return raw == null ? null : new JsonObject(raw);
  }

  public List<JsonObject> values() {
    List<JsonObject> out = new ArrayList<>();
    map.values().forEach(raw -> out.add(new JsonObject(raw)));
    return out;
  }

  public void put(String key, JsonObject value) {
    map.set(key, value.encode());
  }

  /**
   * Applies {@code change} to the current value until no other writer got in between; a change that
   * answers null leaves the record as it is. Answers the stored result, or null when the key is absent.
   */
  public JsonObject update(String key, UnaryOperator<JsonObject> change) {
    while (true) {
      String raw = map.get(key);
      if (raw == null) {
        return null;
      }
      JsonObject next = change.apply(new JsonObject(raw));
      if (next == null) {
        return new JsonObject(raw);
      }
      if (map.replace(key, raw, next.encode())) {
        return next;
      }
    }
  }

  public boolean remove(String key) {
    return map.remove(key) != null;
  }
}
