package dev.gantry.scheduler.placement;

/**
 * Tunables of the placement policy.
 *
 * @param ramReserve          RAM in bytes kept free on every node for the OS and Gantry itself
 * @param deviceMemoryReserve device memory in bytes kept free on every device
 * @param maxReasons          how many nodes a pending message names before it summarises the rest
 */
public record PlacementConfig(long ramReserve, long deviceMemoryReserve, int maxReasons) {

  public static final long GIB = 1L << 30;

  public PlacementConfig {
    if (ramReserve < 0 || deviceMemoryReserve < 0) {
      throw new IllegalArgumentException("reserves must not be negative");
    }
    if (maxReasons < 1) {
      throw new IllegalArgumentException("maxReasons must be at least 1, was " + maxReasons);
    }
  }

  /** 2 GiB of RAM reserved per node, no device memory reserved, five nodes named per message. */
  public static PlacementConfig defaults() {
    return new PlacementConfig(2 * GIB, 0, 5);
  }
}
