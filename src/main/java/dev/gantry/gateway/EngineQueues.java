package dev.gantry.gateway;

import dev.gantry.cluster.LocalMirror;
import dev.gantry.cluster.SharedMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * What the engines themselves report about their load ({@code gantry.engine-load}, written by each node's
 * engine metrics scraper): requests waiting in each instance's engine queue and its KV cache use. The
 * gateway adds the queue to its own in-flight count when it picks an instance, and prefers the emptier KV
 * cache between equals, so a replica whose engine is saturated (a long queue, a full cache, often from
 * long prompts the in-flight count cannot see) gets fewer new requests. Readings older than
 * {@link #STALE_MS} count as none.
 */
final class EngineQueues {

  static final long STALE_MS = 30_000;

  record Reading(double waiting, double kvUsage, long atMs) {
  }

  private final LocalMirror<Reading> readings;

  EngineQueues(SharedMap engineLoad) {
    this.readings = LocalMirror.of(engineLoad, EngineQueues::decode, () -> { });
  }

  /** Starts following the readings (blocking: from a worker). */
  void startBlocking() {
    readings.startBlocking();
  }

  void resyncBlocking() {
    readings.resyncBlocking();
  }

  /** Requests waiting in the instance's engine, by its last fresh reading; 0 when unknown. */
  int waiting(String instanceId, long nowMs) {
    Reading reading = fresh(instanceId, nowMs);
    return reading == null || !(reading.waiting > 0) ? 0 : (int) Math.ceil(reading.waiting);
  }

  /** The instance's KV cache use (0–1) by its last fresh reading; 0 when unknown. */
  double kvUsage(String instanceId, long nowMs) {
    Reading reading = fresh(instanceId, nowMs);
    return reading == null || Double.isNaN(reading.kvUsage) ? 0 : reading.kvUsage;
  }

  private Reading fresh(String instanceId, long nowMs) {
    Reading reading = readings.get(instanceId);
    return reading == null || nowMs - reading.atMs > STALE_MS ? null : reading;
  }

  static Reading decode(String raw) {
    try {
      JsonObject entry = new JsonObject(raw);
      Number waiting = entry.getNumber("requests_waiting");
      Number kv = entry.getNumber("kv_cache_usage_ratio");
      Number at = entry.getNumber("at");
      return new Reading(waiting == null ? 0 : waiting.doubleValue(), kv == null ? Double.NaN : kv.doubleValue(),
          at == null ? 0 : at.longValue());
    } catch (DecodeException | ClassCastException e) {
      return new Reading(0, Double.NaN, 0);
    }
  }
}
