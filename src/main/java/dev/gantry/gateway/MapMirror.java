package dev.gantry.gateway;

import com.hazelcast.map.IMap;
import dev.gantry.cluster.MapEvents;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local copy of a cluster map of JSON records, kept current by the map's entry events and re-read
 * by {@link #resync()} so that a missed event is repaired by the next sweep. Reads are a hash lookup,
 * never a Hazelcast call. A record's map key is the value of its {@code keyField}.
 */
final class MapMirror {

  private final IMap<String, String> map;
  private final String keyField;
  private final Runnable onChange;
  private final Map<String, JsonObject> records = new ConcurrentHashMap<>();
  private final Map<String, Long> touched = new HashMap<>();
  private long sequence;

  MapMirror(IMap<String, String> map, String keyField, Runnable onChange) {
    this.map = map;
    this.keyField = keyField;
    this.onChange = onChange;
  }

  /** Listens, then reads the whole map. Blocking: call it from a worker or the main thread. */
  void start() {
    MapEvents.listen(map, this::apply);
    resync();
  }

  JsonObject get(String key) {
    return records.get(key);
  }

  Collection<JsonObject> values() {
    return records.values();
  }

  private synchronized void apply(String type, JsonObject item) {
    String key = String.valueOf(item.getValue(keyField));
    touched.put(key, ++sequence);
    if ("DELETED".equals(type)) {
      records.remove(key);
    } else {
      records.put(key, item);
    }
    onChange.run();
  }

  /**
   * Re-reads the whole map (blocking) and keeps, for every key an event changed while it read, what the
   * event said: an event is never undone by an older snapshot.
   */
  void resync() {
    long since;
    synchronized (this) {
      since = ++sequence;
    }
    Map<String, String> snapshot = new HashMap<>(map);
    synchronized (this) {
      snapshot.forEach((key, value) -> {
        if (touched.getOrDefault(key, 0L) < since) {
          records.put(key, new JsonObject(value));
        }
      });
      Set<String> local = Set.copyOf(records.keySet());
      for (String key : local) {
        if (!snapshot.containsKey(key) && touched.getOrDefault(key, 0L) < since) {
          records.remove(key);
        }
      }
      touched.clear();
      onChange.run();
    }
  }
}
