package dev.gantry.api;

import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/**
 * This node's stream of changes to one resource. Every change gets the next sequence number; the
 * last {@link #HISTORY} changes are kept so a watcher that reconnects with {@code Last-Event-ID} can
 * be replayed what it missed instead of being sent a full snapshot again.
 */
public final class WatchHub {

  public static final int HISTORY = 1024;

  public record Event(long seq, String type, String id, JsonObject item) {
  }

  private final String resource;
  private final String idField;
  private final ArrayDeque<Event> history = new ArrayDeque<>();
  private final Set<Consumer<Event>> subscribers = new CopyOnWriteArraySet<>();
  /** Starts at the creation time so sequence numbers of different nodes rarely overlap. */
  private long seq = System.currentTimeMillis() * 1000;

  public WatchHub(String resource, String idField) {
    this.resource = resource;
    this.idField = idField;
  }

  public String resource() {
    return resource;
  }

  public void emit(String type, JsonObject item) {
    Event event;
    synchronized (this) {
      event = new Event(++seq, type, String.valueOf(item.getValue(idField)), item);
      history.addLast(event);
      if (history.size() > HISTORY) {
        history.removeFirst();
      }
    }
    subscribers.forEach(subscriber -> subscriber.accept(event));
  }

  public synchronized long currentSeq() {
    return seq;
  }

  /**
   * Subscribes and, atomically, answers the events after {@code lastSeq} when they are all still in
   * the history; {@code null} when they are not (the caller then sends a snapshot).
   */
  public synchronized List<Event> subscribe(Consumer<Event> subscriber, Long lastSeq) {
    subscribers.add(subscriber);
    if (lastSeq == null || history.isEmpty() || lastSeq > seq || lastSeq < history.peekFirst().seq() - 1) {
      return null;
    }
    List<Event> missed = new ArrayList<>();
    for (Event event : history) {
      if (event.seq() > lastSeq) {
        missed.add(event);
      }
    }
    return missed;
  }

  public void unsubscribe(Consumer<Event> subscriber) {
    subscribers.remove(subscriber);
  }

  public int subscriberCount() {
    return subscribers.size();
  }
}
