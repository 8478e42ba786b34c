package dev.gantry.common;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * A model's {@code kv_cache} field: extends the engine's KV cache into host memory (and, where the engine
 * can, a disk folder below it). Host memory is given in GiB or as a ratio of the replica's own memory
 * claim (device memory over all its devices; RAM for an engine on CPU); the scheduler counts it as RAM the
 * replica holds on its node ({@link #hostBytes}).
 *
 * @param hostMemoryGib   host memory for the cache in GiB (null when a ratio is given)
 * @param hostMemoryRatio host memory as a ratio of the replica's memory claim (null when GiB are given)
 * @param chunkSize       tokens per cached chunk or page (null: the engine's default)
 * @param storagePath     a folder on the nodes for a disk tier below host memory (null: none)
 * @param storageGib      how much of that folder the cache may fill, in GiB
 */
public record KvCacheSpec(Double hostMemoryGib, Double hostMemoryRatio, Integer chunkSize, String storagePath,
    Double storageGib) {

  static final long GIB = 1L << 30;
  static final double MAX_GIB = 1 << 20;
  static final double MAX_RATIO = 64;

  /** The field as stored, or null when the model has none; throws {@link IllegalArgumentException} for a person. */
  public static KvCacheSpec of(JsonObject json) {
    if (json == null) {
      return null;
    }
    Double gib = number(json, "host_memory_gib");
    Double ratio = number(json, "host_memory_ratio");
    if (gib != null && ratio != null) {
      throw new IllegalArgumentException("kv_cache: give host_memory_gib or host_memory_ratio, not both");
    }
    if (gib == null && ratio == null) {
      throw new IllegalArgumentException("kv_cache needs host_memory_gib (GiB of host memory for the cache) or"
          + " host_memory_ratio (a ratio of the replica's memory claim)");
    }
    if (gib != null && (gib <= 0 || gib > MAX_GIB)) {
      throw new IllegalArgumentException("kv_cache.host_memory_gib must be above 0 and at most " + (long) MAX_GIB
          + ", got " + gib);
    }
    if (ratio != null && (ratio <= 0 || ratio > MAX_RATIO)) {
      throw new IllegalArgumentException("kv_cache.host_memory_ratio must be above 0 and at most " + (int) MAX_RATIO
          + ", got " + ratio);
    }
    Integer chunk = json.getInteger("chunk_size");
    if (chunk != null && (chunk < 1 || chunk > 1 << 16)) {
      throw new IllegalArgumentException("kv_cache.chunk_size must be between 1 and 65536 tokens, got " + chunk);
    }
    JsonObject storage = json.getJsonObject("storage");
    String path = storage == null ? null : storage.getString("path");
    Double size = storage == null ? null : number(storage, "size_gib");
    if (storage != null && (path == null || !Path.of(path).isAbsolute())) {
      throw new IllegalArgumentException("kv_cache.storage.path must be an absolute folder on the nodes, got '" + path + "'");
    }
    if (storage != null && (size == null || size <= 0 || size > MAX_GIB)) {
      throw new IllegalArgumentException("kv_cache.storage.size_gib must be above 0 and at most " + (long) MAX_GIB
          + ", got " + size);
    }
    return new KvCacheSpec(gib, ratio, chunk, path, size);
  }

  private static Double number(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value != null && !(value instanceof Number)) {
      throw new IllegalArgumentException("kv_cache." + key + " must be a number, got '" + value + "'");
    }
    return value == null ? null : ((Number) value).doubleValue();
  }

  /** Host memory in bytes the cache takes for a replica that claims {@code claimBytes} (devices or RAM). */
  public long hostBytes(long claimBytes) {
    return hostMemoryGib != null ? (long) Math.ceil(hostMemoryGib * GIB) : (long) Math.ceil(hostMemoryRatio * claimBytes);
  }

  /**
   * Host memory in bytes a model's {@code kv_cache} claims on a node, for a replica needing {@code ram} bytes of
   * RAM and {@code memoryPerDevice} on each of {@code devices} devices; 0 without {@code kv_cache}.
   */
  public static long claimedBy(JsonObject model, long ram, long memoryPerDevice, int devices) {
    KvCacheSpec kv = of(model.getJsonObject("kv_cache"));
    return kv == null ? 0 : kv.hostBytes(devices > 0 ? memoryPerDevice * devices : ram);
  }

  /** The same in GiB (for engines that take GiB). */
  public double hostGib(long claimBytes) {
    return hostBytes(claimBytes) / (double) GIB;
  }
}
