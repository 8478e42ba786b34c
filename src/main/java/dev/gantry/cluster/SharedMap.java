package dev.gantry.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One cluster-wide map of text values, as the class that owns it sees it: asynchronous reads and
 * writes answering Vert.x futures (they complete on the caller's context and never block an event
 * loop), compare-and-set and time-to-live where owners need them, blocking variants (named so) for code
 * that already runs on a worker, and change listeners that are registered off the event loop and
 * removed by their {@link Listening}. The only door from a feature to Hazelcast's maps: owners hold a
 * {@code SharedMap}, never an {@code IMap}.
 */
public final class SharedMap {

  private final Vertx vertx;
  private final IMap<String, String> map;

  SharedMap(Vertx vertx, IMap<String, String> map) {
    this.vertx = vertx;
    this.map = map;
  }

  public String name() {
    return map.getName();
  }

  public Future<String> get(String key) {
    return future(map.getAsync(key));
  }

  public Future<Void> set(String key, String value) {
    return future(map.setAsync(key, value));
  }

  /** Writes a value that disappears {@code ttl} after this write. */
  public Future<Void> set(String key, String value, Duration ttl) {
    return future(map.setAsync(key, value, ttl.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** Writes a value that disappears once nobody read or wrote it for {@code maxIdle}. */
  public Future<Void> setIdleExpiring(String key, String value, Duration maxIdle) {
    return future(map.setAsync(key, value, 0, TimeUnit.SECONDS, maxIdle.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** Removes the key; answers the value it had, or null. */
  public Future<String> remove(String key) {
    return future(map.removeAsync(key));
  }

  public Future<Integer> size() {
    return vertx.executeBlocking(map::size, false);
  }

  /** Every entry, copied. */
  public Future<Map<String, String>> entries() {
    return vertx.executeBlocking(this::entriesBlocking, false);
  }

  /** A local, decoded copy of this map for the data plane to read from; start it with {@link LocalMirror#startBlocking}. */
  public <T> LocalMirror<T> mirror(java.util.function.Function<String, T> decode, Runnable onChange) {
    return new LocalMirror<>(this, decode, onChange);
  }

  /** Calls {@code listener} for every change made on any member. */
  public Future<Listening> listen(Listener listener) {
    return vertx.executeBlocking(() -> listenBlocking(listener), false);
  }

  // ---- blocking variants: call them from a worker (or a thread that may block)

  public String getBlocking(String key) {
    return map.get(key);
  }

  public void setBlocking(String key, String value) {
    map.set(key, value);
  }

  /** Writes only when the key is absent; answers whether it did. */
  public boolean putIfAbsentBlocking(String key, String value, Duration ttl) {
    return map.putIfAbsent(key, value, ttl.toMillis(), TimeUnit.MILLISECONDS) == null;
  }

  /** Replaces the value only while it still is {@code expected}; answers whether it did. */
  public boolean replaceBlocking(String key, String expected, String value) {
    return map.replace(key, expected, value);
  }

  public void setTtlBlocking(String key, Duration ttl) {
    map.setTtl(key, ttl.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Removes the key only while its value still is {@code expected}; answers whether it did. */
  public boolean removeBlocking(String key, String expected) {
    return map.remove(key, expected);
  }

  /** Removes the key; listeners are told with the old value. */
  public String removeBlocking(String key) {
    return map.remove(key);
  }

  public List<String> keysBlocking() {
    return List.copyOf(map.keySet());
  }

  public List<String> valuesBlocking() {
    return List.copyOf(map.values());
  }

  public Map<String, String> entriesBlocking() {
    return new HashMap<>(map);
  }

  public Listening listenBlocking(Listener listener) {
    UUID id = map.addEntryListener(new Adapter(listener), true);
    return () -> vertx.executeBlocking(() -> map.removeEntryListener(id), false).mapEmpty();
  }

  /** A read the near cache answered is already complete: taken in place instead of a trip through two threads. */
  private <T> Future<T> future(CompletionStage<T> stage) {
    CompletableFuture<T> future = stage.toCompletableFuture();
    if (future.isDone() && !future.isCompletedExceptionally() && !future.isCancelled()) {
      return Future.succeededFuture(future.join());
    }
    return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
  }

  /** What happened to an entry. */
  public enum ChangeType {
    CREATED, UPDATED, DELETED
  }

  /**
   * One change: {@code value} is the new value ({@code CREATED}, {@code UPDATED}) or the last one
   * ({@code DELETED}: removed, expired or evicted).
   */
  public record Change(ChangeType type, String key, String value) {
  }

  /** Receives changes on a Hazelcast thread: hand real work to a context. */
  @FunctionalInterface
  public interface Listener {
    void changed(Change change);
  }

  /** A registered listener; closing it removes it. */
  @FunctionalInterface
  public interface Listening {
    Future<Void> close();
  }

  private record Adapter(Listener listener) implements EntryAddedListener<String, String>,
      EntryUpdatedListener<String, String>, EntryRemovedListener<String, String>,
      EntryEvictedListener<String, String>, EntryExpiredListener<String, String> {

    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      listener.changed(new Change(ChangeType.CREATED, event.getKey(), event.getValue()));
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      listener.changed(new Change(ChangeType.UPDATED, event.getKey(), event.getValue()));
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      gone(event);
    }

    @Override
    public void entryEvicted(EntryEvent<String, String> event) {
      gone(event);
    }

    @Override
    public void entryExpired(EntryEvent<String, String> event) {
      gone(event);
    }

    private void gone(EntryEvent<String, String> event) {
      if (event.getOldValue() != null) {
        listener.changed(new Change(ChangeType.DELETED, event.getKey(), event.getOldValue()));
      }
    }
  }
}
