package dev.gantry.scheduler.placement;

import java.util.Arrays;

/** The states of a node (DESIGN.md §2); only {@link #READY} nodes take new replicas. */
public enum NodeState {
  READY("ready", "ready"),
  NOT_READY("not_ready", "not ready"),
  UNREACHABLE("unreachable", "unreachable"),
  MAINTENANCE("maintenance", "in maintenance"),
  STOPPING("stopping", "shutting down"),
  STOPPED("stopped", "stopped");

  private final String wireName;
  private final String description;

  NodeState(String wireName, String description) {
    this.wireName = wireName;
    this.description = description;
  }

  /** The name used in the API and in Hazelcast, e.g. {@code not_ready}. */
  public String wireName() {
    return wireName;
  }

  /** How a pending message says it, e.g. {@code not ready}. */
  public String description() {
    return description;
  }

  public static NodeState of(String wireName) {
    return Arrays.stream(values())
        .filter(s -> s.wireName.equals(wireName))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown node state '" + wireName
            + "', expected one of ready, not_ready, unreachable, maintenance, stopping, stopped"));
  }
}
