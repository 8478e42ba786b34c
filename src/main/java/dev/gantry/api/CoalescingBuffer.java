package dev.gantry.api;

import dev.gantry.api.WatchHub.Event;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Events waiting for a slow watcher, at most one per item: a newer change to an item replaces the
 * pending one (a pending CREATED stays CREATED with the newer item; CREATED then DELETED cancels out),
 * so the buffer never holds more entries than there are items.
 */
public final class CoalescingBuffer {

  private final Map<String, Event> pending = new LinkedHashMap<>();
  private final int limit;

  public CoalescingBuffer(int limit) {
    this.limit = limit;
  }

  /** Adds an event; answers false when the buffer is over its limit (the watcher should be dropped). */
  public boolean add(Event event) {
    Event previous = pending.get(event.id());
    if (previous == null) {
      pending.put(event.id(), event);
    } else if ("CREATED".equals(previous.type()) && "DELETED".equals(event.type())) {
      pending.remove(event.id());
    } else if ("CREATED".equals(previous.type())) {
      pending.put(event.id(), new Event(event.seq(), "CREATED", event.id(), event.item()));
    } else {
      pending.put(event.id(), event);
    }
    return pending.size() <= limit;
  }

  public Event poll() {
    Iterator<Event> it = pending.values().iterator();
    if (!it.hasNext()) {
      return null;
    }
    Event event = it.next();
    it.remove();
    return event;
  }

  public boolean isEmpty() {
    return pending.isEmpty();
  }

  public int size() {
    return pending.size();
  }
}
