package dev.gantry.common;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * A model's {@code autoscale} block: replicas between {@code min} and {@code max}, sized so that each has
 * about {@code target_in_flight_per_replica} requests in flight; up after the load held for
 * {@code scale_up_delay}, down after it stayed low for {@code scale_down_delay}; with {@code min: 0}, to zero
 * after {@code idle_time} without a request, and a request that finds no replica is held by the gateway
 * for {@code hold_timeout} while one starts. Optionally also from the engines' own metrics:
 * {@code target_queue} requests waiting in each replica's engine, {@code target_kv_usage} its KV cache use
 * (0–1); the metric that asks for the most replicas wins (null: not used).
 */
public record AutoscaleSpec(int min, int max, double targetInFlight, Duration scaleUpDelay, Duration scaleDownDelay,
    Duration idleTime, Duration holdTimeout, Double targetQueue, Double targetKvUsage) {

  public static final double DEFAULT_TARGET = 4;

  /** The block of a model spec, or null when the model is not autoscaled. */
  public static AutoscaleSpec of(JsonObject model) {
    JsonObject block = model == null ? null : model.getJsonObject("autoscale");
    if (block == null) {
      return null;
    }
    int min = block.getInteger("min", 1);
    return new AutoscaleSpec(min, block.getInteger("max", Math.max(min, 1)),
        block.getDouble("target_in_flight_per_replica", DEFAULT_TARGET),
        Duration.ofSeconds(block.getLong("scale_up_delay", 30L)),
        Duration.ofSeconds(block.getLong("scale_down_delay", 300L)),
        Duration.ofSeconds(block.getLong("idle_time", 600L)),
        Duration.ofSeconds(block.getLong("hold_timeout", 120L)),
        block.getDouble("target_queue"), block.getDouble("target_kv_usage"));
  }

  /** The spec with the bounds a schedule window sets (null: unchanged). */
  public AutoscaleSpec withBounds(Integer newMin, Integer newMax) {
    int lower = newMin == null ? min : newMin;
    int upper = newMax == null ? Math.max(max, lower) : Math.max(newMax, Math.max(lower, 1));
    return new AutoscaleSpec(lower, upper, targetInFlight, scaleUpDelay, scaleDownDelay, idleTime, holdTimeout, targetQueue,
        targetKvUsage);
  }

  /** Why a block cannot be used, or null: the schema checks each number, this the combination. */
  public static String problem(JsonObject block) {
    if (block == null) {
      return null;
    }
    int min = block.getInteger("min", 1);
    int max = block.getInteger("max", Math.max(min, 1));
    if (max < Math.max(min, 1)) {
      return "autoscale.max (" + max + ") must be at least autoscale.min (" + min + ") and at least 1";
    }
    return null;
  }
}
