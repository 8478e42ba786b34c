package dev.gantry.cluster;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A local copy of a {@link SharedMap}, decoded, kept current by the map's change events and re-read by
 * {@link #resyncBlocking()} so that a missed event is repaired by the next sweep. Reads are a hash
 * lookup, never a cluster call: this is what the data plane routes from.
 */
public final class LocalMirror<T> {

  private final SharedMap map;
  private final Function<String, T> decode;
  private final Runnable onChange;
  private final Map<String, T> records = new ConcurrentHashMap<>();
  private final Map<String, Long> touched = new HashMap<>();
  private long sequence;
  private long clearedAt;

  LocalMirror(SharedMap map, Function<String, T> decode, Runnable onChange) {
    this.map = map;
    this.decode = decode;
    this.onChange = onChange;
  }

  /** A mirror of {@code map} for a feature's owner class; start it from a worker. */
  public static <T> LocalMirror<T> of(SharedMap map, Function<String, T> decode, Runnable onChange) {
    return new LocalMirror<>(map, decode, onChange);
  }

  /** Listens, then reads the whole map. Blocking: call it from a worker or the main thread. */
  public void startBlocking() {
    map.listenBlocking(this::apply);
    resyncBlocking();
  }

  public T get(String key) {
    return records.get(key);
  }

  public Collection<T> values() {
    return records.values();
  }

  /**
   * What the map holds for {@code key} now (null: nothing), for a key this mirror has not heard of: each
   * node hears a change on its own schedule, so a record written on another node a moment ago may not be
   * here yet. The record is kept here too unless an event or a {@link #resyncBlocking() resync} touched
   * the key while it was read (those know better); a key present here is left as it is.
   */
  public Future<T> fill(String key) {
    return reread(key, record -> record != null && !records.containsKey(key));
  }

  /**
   * Re-reads {@code key} from the map and keeps what it holds now (null: removes it), unless an event or a
   * {@link #resyncBlocking() resync} touched the key while it was read (those know better): for a record this
   * mirror holds in a state that may already have changed on another node, such as a replica about to run.
   */
  public Future<T> refresh(String key) {
    return reread(key, record -> true);
  }

  /** Reads the key and applies what the map holds when {@code keep} says so and nothing newer arrived meanwhile. */
  private Future<T> reread(String key, Predicate<T> keep) {
    long since;
    synchronized (this) {
      since = ++sequence;
    }
    return map.get(key).map(raw -> {
      T record = raw == null ? null : decode.apply(raw);
      synchronized (this) {
        if (clearedAt < since && touched.getOrDefault(key, 0L) < since && keep.test(record)) {
          T before = record == null ? records.remove(key) : records.put(key, record);
          if (before != null || record != null) {
            onChange.run();
          }
        }
      }
      return record;
    });
  }

  private synchronized void apply(SharedMap.Change change) {
    touched.put(change.key(), ++sequence);
    if (change.type() == SharedMap.ChangeType.DELETED) {
      records.remove(change.key());
    } else {
      records.put(change.key(), decode.apply(change.value()));
    }
    onChange.run();
  }

  /**
   * Re-reads the whole map (blocking) and keeps, for every key an event changed while it read, what the
   * event said: an event is never undone by an older snapshot.
   */
  public void resyncBlocking() {
    long since;
    synchronized (this) {
      since = ++sequence;
    }
    Map<String, String> snapshot = map.entriesBlocking();
    synchronized (this) {
      snapshot.forEach((key, value) -> {
        if (touched.getOrDefault(key, 0L) < since) {
          records.put(key, decode.apply(value));
        }
      });
      Set<String> local = Set.copyOf(records.keySet());
      for (String key : local) {
        if (!snapshot.containsKey(key) && touched.getOrDefault(key, 0L) < since) {
          records.remove(key);
        }
      }
      touched.clear();
      clearedAt = ++sequence;
      onChange.run();
    }
  }
}
