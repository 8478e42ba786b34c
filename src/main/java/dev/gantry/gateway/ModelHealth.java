package dev.gantry.gateway;

import dev.gantry.cluster.SharedMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this node's gateway saw of each model over the last {@link #WINDOW_SLOTS} × 10 s (5 minutes), for
 * the alert rules on the leading node: requests, those answered with a server error (status 500–599; a
 * client's 4xx or a client that went away is not the model's fault), and the time to first token of
 * streamed requests as a histogram over {@link #TTFT_BOUNDS}. Published to {@code gantry.model-health} as
 * {@code <node>/<model>} when it changed (and refreshed before it expires, {@link #TTL_MS}) while the window
 * holds anything.
 */
final class ModelHealth implements GatewayMetrics {

  static final int WINDOW_SLOTS = 30;
  static final long SLOT_MS = 10_000;
  static final long TTL_MS = 5_000;
  static final double[] TTFT_BOUNDS = {0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30, 60};

  private final SharedMap map;
  private final String nodeName;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();
  private final Map<String, String> published = new HashMap<>();
  private final Map<String, Long> publishedAt = new HashMap<>();

  ModelHealth(SharedMap map, String nodeName) {
    this.map = map;
    this.nodeName = nodeName;
  }

  @Override
  public void requestEnded(String model, String operation, int status, long durationNanos, long ttftNanos, Usage usage) {
    record(model, status, ttftNanos, System.currentTimeMillis());
  }

  void record(String model, int status, long ttftNanos, long nowMs) {
    if (model == null || "unknown".equals(model)) {
      return;
    }
    windows.computeIfAbsent(model, m -> new Window()).add(nowMs / SLOT_MS, status >= 500 && status < 600,
        ttftNanos < 0 ? -1 : ttftNanos / 1e9);
  }

  /** The model's window at {@code nowMs} as it would be published (without node and model), or null when empty. */
  JsonObject summary(String model, long nowMs) {
    Window window = windows.get(model);
    return window == null ? null : window.summary(nowMs / SLOT_MS);
  }

  /** Writes each model's window (a changed one at once, an unchanged one before its entry expires). */
  void publish(long nowMs) {
    long slot = nowMs / SLOT_MS;
    windows.forEach((model, window) -> {
      JsonObject summary = window.summary(slot);
      if (summary == null) {
        windows.remove(model, window);
        published.remove(model);
        publishedAt.remove(model);
        return;
      }
      String value = summary.put("node", nodeName).put("model", model).encode();
      String last = published.put(model, value);
      Long at = publishedAt.get(model);
      if (!value.equals(last) || at == null || nowMs - at >= TTL_MS / 2) {
        publishedAt.put(model, nowMs);
        map.set(nodeName + "/" + model, value, Duration.ofMillis(TTL_MS));
      }
    });
  }

  /** One model's counts per 10-second slot, the slot number kept beside each so old slots read as empty. */
  private static final class Window {
    private final long[] slotOf = new long[WINDOW_SLOTS];
    private final long[] requests = new long[WINDOW_SLOTS];
    private final long[] errors = new long[WINDOW_SLOTS];
    private final long[][] ttft = new long[WINDOW_SLOTS][TTFT_BOUNDS.length + 1];

    synchronized void add(long slot, boolean serverError, double ttftSeconds) {
      int i = (int) (slot % WINDOW_SLOTS);
      if (slotOf[i] != slot) {
        slotOf[i] = slot;
        requests[i] = 0;
        errors[i] = 0;
        java.util.Arrays.fill(ttft[i], 0);
      }
      requests[i]++;
      if (serverError) {
        errors[i]++;
      }
      if (ttftSeconds >= 0) {
        int bucket = 0;
        while (bucket < TTFT_BOUNDS.length && ttftSeconds > TTFT_BOUNDS[bucket]) {
          bucket++;
        }
        ttft[i][bucket]++;
      }
    }

    /** The window's sums at {@code slot}, or null when it holds nothing. */
    synchronized JsonObject summary(long slot) {
      long total = 0;
      long failed = 0;
      long[] buckets = new long[TTFT_BOUNDS.length + 1];
      for (int i = 0; i < WINDOW_SLOTS; i++) {
        if (slotOf[i] > slot - WINDOW_SLOTS && slotOf[i] <= slot) {
          total += requests[i];
          failed += errors[i];
          for (int b = 0; b < buckets.length; b++) {
            buckets[b] += ttft[i][b];
          }
        }
      }
      if (total == 0) {
        return null;
      }
      JsonArray bounds = new JsonArray();
      for (double bound : TTFT_BOUNDS) {
        bounds.add(bound);
      }
      JsonArray counts = new JsonArray();
      for (long count : buckets) {
        counts.add(count);
      }
      return new JsonObject().put("window_seconds", WINDOW_SLOTS * SLOT_MS / 1000).put("requests", total)
          .put("server_errors", failed).put("ttft", new JsonObject().put("bounds", bounds).put("counts", counts));
    }
  }
}
