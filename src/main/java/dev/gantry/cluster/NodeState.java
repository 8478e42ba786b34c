package dev.gantry.cluster;

/** The state of a node as the cluster sees it; spelled in lowercase in JSON ({@code "not_ready"}). */
public enum NodeState {
  /** Heartbeating and healthy: replicas may be placed here. */
  READY,
  /** Heartbeating but something it needs (the database) is missing. */
  NOT_READY,
  /** Put aside by an admin: no new replicas are placed here. */
  MAINTENANCE,
  /** Its cluster member left without saying goodbye (a crash, a cut network); removed after the node expiry. */
  UNREACHABLE,
  /** Shutting down gracefully: its replicas move to other nodes, then its engines stop. */
  STOPPING,
  /** Stopped gracefully (it said goodbye); removed after the node expiry, back when it starts again. */
  STOPPED;

  /** Whether the node is leaving or has left on purpose. */
  public boolean leaving() {
    return this == STOPPING || this == STOPPED;
  }

  public String json() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static NodeState fromJson(String value) {
    return valueOf(value.toUpperCase(java.util.Locale.ROOT));
  }
}
