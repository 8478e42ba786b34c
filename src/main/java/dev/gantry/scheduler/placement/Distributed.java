package dev.gantry.scheduler.placement;

import java.util.Locale;

/** A model's {@code distributed} field: whether a replica too large for one node may run over several. */
public enum Distributed {
  /** Over several nodes when no single node can hold it and its backend can (the default). */
  AUTO,
  /** On one node only: a replica that fits no node stays pending. */
  OFF;

  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode a model names; missing is {@link #AUTO}; anything else is refused with the choices. */
  public static Distributed of(String value) {
    if (value == null) {
      return AUTO;
    }
    return switch (value) {
      case "auto" -> AUTO;
      case "off" -> OFF;
      default -> throw new IllegalArgumentException("distributed must be 'auto' or 'off', got '" + value + "'");
    };
  }
}
