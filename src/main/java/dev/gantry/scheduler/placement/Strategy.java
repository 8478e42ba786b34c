package dev.gantry.scheduler.placement;

/** How replicas are distributed over the nodes and devices that fit them. */
public enum Strategy {
  /** Prefer the node and device with the fewest claims, then the most free capacity. */
  SPREAD,
  /** Prefer the fullest node and device that still fit, keeping whole nodes free. */
  BINPACK;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Strategy of(String wireName) {
    return switch (wireName) {
      case "spread" -> SPREAD;
      case "binpack" -> BINPACK;
      default -> throw new IllegalArgumentException(
          "unknown placement strategy '" + wireName + "', expected spread or binpack");
    };
  }
}
