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
 *
 * <p>A watcher's snapshot items get numbers too ({@link #snapshotIds}), so every event a stream sends
 * has an id of its own: a block taken from the same sequence, remembered so that resuming after the
 * last item of a snapshot replays what changed since the snapshot was taken, and resuming after any
 * other item of it (the snapshot was cut short) answers a fresh snapshot. A change a stream must send
 * after a later-numbered event gets a one-number block of its own ({@link #alias}).
 */
public final class WatchHub {

  public static final int HISTORY = 1024;

  public record Event(long seq, String type, String id, JsonObject item) {
  }

  /** Snapshot ids {@code first..last}, given out when the changes up to {@code takenAt} were in the snapshot. */
  private record SnapshotIds(long first, long last, long takenAt) {
  }

  private final String resource;
  private final String idField;
  private final ArrayDeque<Event> history = new ArrayDeque<>();
  private final ArrayDeque<SnapshotIds> snapshots = new ArrayDeque<>();
  private final Set<Consumer<Event>> subscribers = new CopyOnWriteArraySet<>();
  /** Starts at the creation time so sequence numbers of different nodes rarely overlap. */
  private long seq = System.currentTimeMillis() * 1000;
  /** Ids below this cannot be resumed from (a snapshot block that was forgotten may lie below). */
  private long resumableFrom = seq;

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
   * Takes {@code count} ids for the items of a snapshot that holds every change up to {@code takenAt}
   * (the {@link #currentSeq} read before the snapshot); answers the first.
   */
  public synchronized long snapshotIds(int count, long takenAt) {
    long first = seq + 1;
    if (count > 0) {
      seq += count;
      snapshots.addLast(new SnapshotIds(first, seq, takenAt));
      if (snapshots.size() > HISTORY) {
        resumableFrom = snapshots.removeFirst().last() + 1;
      }
    }
    return first;
  }

  /**
   * A new id for the change numbered {@code seq}, for a stream that must send it after a later-numbered
   * event: resuming after the new id replays the changes after {@code seq}.
   */
  public long alias(long seq) {
    return snapshotIds(1, seq);
  }

  /**
   * Subscribes and, atomically, answers the events a stream that last received {@code lastId} missed, when
   * they are all still in the history; {@code null} when they are not, or {@code lastId} is inside a
   * snapshot (the caller then sends a snapshot).
   */
  public synchronized List<Event> subscribe(Consumer<Event> subscriber, Long lastId) {
    subscribers.add(subscriber);
    Long lastSeq = lastId == null ? null : resumePoint(lastId);
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

  /** The change after which a stream that last received {@code id} continues; null when it cannot. */
  private Long resumePoint(long id) {
    if (id < resumableFrom) {
      return null;
    }
    for (SnapshotIds block : snapshots) {
      if (id >= block.first() && id <= block.last()) {
        return id == block.last() ? block.takenAt() : null;
      }
    }
    return id;
  }

  public void unsubscribe(Consumer<Event> subscriber) {
    subscribers.remove(subscriber);
  }

  public int subscriberCount() {
    return subscribers.size();
  }
}
