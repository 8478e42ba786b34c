package dev.gantry.node;

import dev.gantry.cluster.NodeRecord;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Thins the node record changes that watch streams send. An agent republishes its record every 3 s with a
 * new heartbeat and fresh measurements (CPU and memory use; each device's memory use, utilisation,
 * temperature and power). A change to anything else a user sees — state, message, labels, maintenance,
 * address, version, the devices themselves — passes at once; a change of measurements only passes at most
 * once per {@link #MEASUREMENTS_EVERY_MS} per node, the latest one when that time is up. CREATED and
 * DELETED always pass at once. Changes leave in the order they came, one node's never overtaking each other.
 */
public final class NodeWatchThrottle implements BiConsumer<String, NodeRecord> {

  public static final long MEASUREMENTS_EVERY_MS = 10_000;
  private static final List<String> DEVICE_MEASUREMENTS = List.of("memory_used", "utilization", "temperature", "power");

  /** One-shot timers (Vert.x's in the node, a hand-driven fake in unit tests). */
  public interface Timers {
    long after(long delayMs, Runnable task);

    void cancel(long id);

    static Timers of(Vertx vertx) {
      return new Timers() {
        @Override
        public long after(long delayMs, Runnable task) {
          return vertx.setTimer(Math.max(1, delayMs), id -> task.run());
        }

        @Override
        public void cancel(long id) {
          vertx.cancelTimer(id);
        }
      };
    }
  }

  /** What was last passed on for a node, and the measurements-only change held back since. */
  private static final class Sent {
    JsonObject shape;
    long at;
    NodeRecord held;
    long timer = -1;
  }

  private final Timers timers;
  private final LongSupplier clock;
  private final BiConsumer<String, NodeRecord> sink;
  private final Map<String, Sent> sent = new HashMap<>();

  public NodeWatchThrottle(Timers timers, LongSupplier clock, BiConsumer<String, NodeRecord> sink) {
    this.timers = timers;
    this.clock = clock;
    this.sink = sink;
  }

  /** The throttle the node uses: Vert.x timers, the wall clock. */
  public static NodeWatchThrottle of(Vertx vertx, BiConsumer<String, NodeRecord> sink) {
    return new NodeWatchThrottle(Timers.of(vertx), System::currentTimeMillis, sink);
  }

  @Override
  public synchronized void accept(String type, NodeRecord record) {
    Sent last = sent.get(record.name());
    if ("DELETED".equals(type)) {
      if (last != null && last.timer >= 0) {
        timers.cancel(last.timer);
      }
      sent.remove(record.name());
      sink.accept(type, record);
      return;
    }
    JsonObject shape = shape(record);
    long now = clock.getAsLong();
    if (last == null || !"UPDATED".equals(type) || !shape.equals(last.shape) || now - last.at >= MEASUREMENTS_EVERY_MS) {
      pass(type, record, shape, now);
      return;
    }
    last.held = record;
    if (last.timer < 0) {
      last.timer = timers.after(last.at + MEASUREMENTS_EVERY_MS - now, () -> release(record.name()));
    }
  }

  private synchronized void release(String name) {
    Sent last = sent.get(name);
    if (last == null || last.held == null) {
      return;
    }
    last.timer = -1;
    NodeRecord held = last.held;
    pass("UPDATED", held, shape(held), clock.getAsLong());
  }

  private void pass(String type, NodeRecord record, JsonObject shape, long now) {
    Sent last = sent.computeIfAbsent(record.name(), name -> new Sent());
    if (last.timer >= 0) {
      timers.cancel(last.timer);
      last.timer = -1;
    }
    last.held = null;
    last.shape = shape;
    last.at = now;
    sink.accept(type, record);
  }

  /** The record as a user sees it without its heartbeat and measurements. */
  static JsonObject shape(NodeRecord record) {
    JsonObject json = record.toJson();
    json.remove("heartbeat_at");
    json.put("cpu", without(json.getJsonObject("cpu"), List.of("utilization")));
    json.put("memory", without(json.getJsonObject("memory"), List.of("used")));
    JsonArray devices = new JsonArray();
    json.getJsonArray("devices").forEach(device -> devices.add(device instanceof JsonObject d
        ? without(d, DEVICE_MEASUREMENTS) : device));
    return json.put("devices", devices);
  }

  private static JsonObject without(JsonObject object, List<String> fields) {
    if (object == null) {
      return null;
    }
    JsonObject copy = object.copy();
    fields.forEach(copy::remove);
    return copy;
  }
}
