package dev.gantry.cluster;

/** The state of a node as the cluster sees it; spelled in lowercase in JSON ({@code "not_ready"}). */
public enum NodeState {
  /** Heartbeating and healthy: replicas may be placed here. */
  READY,
  /** Heartbeating but something it needs (the database) is missing. */
  NOT_READY,
  /** Put aside by an admin: no new replicas are placed here. */
  MAINTENANCE,
  /** Its cluster member left; removed after the node expiry. */
  UNREACHABLE;

  public String json() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static NodeState fromJson(String value) {
    return valueOf(value.toUpperCase(java.util.Locale.ROOT));
  }
}
