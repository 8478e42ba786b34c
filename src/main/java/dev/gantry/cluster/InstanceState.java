package dev.gantry.cluster;

import java.util.Locale;

/** Where a model instance (one replica) is in its life; spelled in lowercase in JSON ({@code "running"}). */
public enum InstanceState {
  /** Waiting to be placed: no node has room yet, or it was just created. */
  PENDING,
  /** Placed on a node whose supervisor has not started the engine yet. */
  SCHEDULED,
  /** Placed on a node that is fetching the model's files from its hub into the node's cache; the engine starts next. */
  DOWNLOADING,
  /** The engine process runs and its health path does not answer yet. */
  STARTING,
  /** The engine answers: the gateway routes to it. */
  RUNNING,
  /** The engine exited or could not start; its node retries with back-off. */
  ERROR,
  /** Its node left the cluster; placed elsewhere after the grace period unless the node returns. */
  UNREACHABLE,
  /** Its node is stopping: no new requests are routed to it; its engine stops once those in flight finish. */
  DRAINING;

  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The state a JSON value names; an unknown or missing one reads as {@link #PENDING} (it is placed again). */
  public static InstanceState fromJson(String value) {
    if (value == null) {
      return PENDING;
    }
    try {
      return valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return PENDING;
    }
  }

  /** Whether its node should run an engine for it. */
  public boolean wantsEngine() {
    return this == SCHEDULED || this == DOWNLOADING || this == STARTING || this == RUNNING || this == ERROR || this == DRAINING;
  }
}
