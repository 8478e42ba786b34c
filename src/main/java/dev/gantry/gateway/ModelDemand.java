package dev.gantry.gateway;

import dev.gantry.cluster.SharedMap;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What this node's gateway sees of each model's demand, for the autoscaler on the leading node: requests
 * received (a counter that only grows: a change means traffic) and requests held while no replica runs.
 * Published to {@code gantry.model-demand} as {@code <node>/<model>} every {@link InstanceLoad#PUBLISH_MS}
 * ms when it changed, refreshed before its {@link #TTL_MS} lapses; a node that goes away takes its entries
 * with it.
 */
public final class ModelDemand {

  static final long TTL_MS = 3_000;
  private static final long REFRESH_MS = TTL_MS / 2;

  private final SharedMap map;
  private final String nodeName;
  private final Map<String, Counters> counters = new ConcurrentHashMap<>();
  private final Map<String, long[]> published = new HashMap<>();

  private static final class Counters {
    final AtomicLong requests = new AtomicLong();
    final AtomicInteger waiting = new AtomicInteger();
  }

  ModelDemand(SharedMap map, String nodeName) {
    this.map = map;
    this.nodeName = nodeName;
  }

  void requested(String model) {
    counters.computeIfAbsent(model, m -> new Counters()).requests.incrementAndGet();
  }

  /** Counts a request held for the model until the answer runs (once, however often it is called). */
  Runnable hold(String model) {
    AtomicInteger waiting = counters.computeIfAbsent(model, m -> new Counters()).waiting;
    waiting.incrementAndGet();
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        waiting.decrementAndGet();
      }
    };
  }

  /** Requests held on this node for the model now. */
  int waiting(String model) {
    Counters c = counters.get(model);
    return c == null ? 0 : c.waiting.get();
  }

  /** Writes the counts that changed, and refreshes the others; called from one event loop. */
  void publish(long nowMs) {
    counters.forEach((model, c) -> {
      long requests = c.requests.get();
      int waiting = c.waiting.get();
      long[] last = published.get(model);
      if (last == null || last[0] != requests || last[1] != waiting || nowMs - last[2] >= REFRESH_MS) {
        published.put(model, new long[] {requests, waiting, nowMs});
        map.set(nodeName + "/" + model, new JsonObject().put("node", nodeName).put("model", model)
            .put("requests", requests).put("waiting", waiting).encode(), Duration.ofMillis(TTL_MS));
      }
    });
  }
}
