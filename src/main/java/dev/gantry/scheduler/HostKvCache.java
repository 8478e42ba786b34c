package dev.gantry.scheduler;

import dev.gantry.common.KvCacheSpec;
import io.vertx.core.json.JsonObject;

/**
 * The host memory a model's {@code kv_cache} takes on its node, counted as RAM the replica claims: a node
 * without that much free RAM is refused, and the pending message says the RAM includes it.
 */
final class HostKvCache {

  static final String MARK = " host memory for kv_cache";

  /** The estimate with the cache's host memory added to its RAM (unchanged without {@code kv_cache}). */
  static Estimate added(JsonObject model, Estimate estimate) {
    long host = KvCacheSpec.claimedBy(model, estimate.ram(), estimate.memoryPerDevice(),
        model.getInteger("devices_per_replica", 0));
    if (host == 0) {
      return estimate;
    }
    return new Estimate(estimate.ram() + host, estimate.memoryPerDevice(),
        estimate.breakdown() + " + " + gib(host) + MARK);
  }

  /** A pending message, saying where the RAM it names comes from when a cache claims some. */
  static String explained(String message, Estimate estimate) {
    if (estimate == null || !estimate.breakdown().contains(MARK) || !message.contains("RAM")) {
      return message;
    }
    String part = estimate.breakdown().substring(estimate.breakdown().lastIndexOf(" + ") + 3);
    return message + " (the RAM needed includes " + part + ")";
  }

  private static String gib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
  }

  private HostKvCache() {
  }
}
