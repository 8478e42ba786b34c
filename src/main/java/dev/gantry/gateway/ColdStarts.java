package dev.gantry.gateway;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests held on this node for autoscaled models that have no running replica, each woken on its own
 * event loop the moment one of the model's replicas runs (the instance directory calls {@link #wake}). At
 * most {@link #MAX_PER_MODEL} per model wait; beyond that a request is turned away at once.
 */
final class ColdStarts {

  static final int MAX_PER_MODEL = 256;

  /** One held request. */
  static final class Waiter {
    private final Context context;
    private final Runnable wake;

    private Waiter(Context context, Runnable wake) {
      this.context = context;
      this.wake = wake;
    }
  }

  private final Map<String, List<Waiter>> waiting = new ConcurrentHashMap<>();

  /** Holds a request; null when the model's queue is full. */
  synchronized Waiter add(String model, Context context, Runnable wake) {
    List<Waiter> queue = waiting.computeIfAbsent(model, m -> new ArrayList<>());
    if (queue.size() >= MAX_PER_MODEL) {
      return null;
    }
    Waiter waiter = new Waiter(context, wake);
    queue.add(waiter);
    return waiter;
  }

  /** Takes a request out of the queue; answers whether it was still there (so exactly one side acts on it). */
  synchronized boolean remove(String model, Waiter waiter) {
    List<Waiter> queue = waiting.get(model);
    return queue != null && queue.remove(waiter);
  }

  /** Wakes the requests held for models that now have a running replica. */
  void wake(Set<String> running) {
    if (waiting.isEmpty()) {
      return;
    }
    List<Waiter> woken = new ArrayList<>();
    synchronized (this) {
      for (String model : running) {
        List<Waiter> queue = waiting.remove(model);
        if (queue != null) {
          woken.addAll(queue);
        }
      }
    }
    woken.forEach(w -> w.context.runOnContext(v -> w.wake.run()));
  }
}
