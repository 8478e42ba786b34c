package dev.gantry.common;

/** Event-bus addresses, named {@code <area>.<noun>}; the only place they are spelled. */
public final class Addresses {

  /** Published changes of a watchable resource: {@code watch.<resource>}, body {@code {"type","item"}}. */
  public static String watch(String resource) {
    return "watch." + resource;
  }

  /** A node's engine-log reader: request {@code {"instance","tail"|"offset"}}, reply {@code {"data","offset"}}. */
  public static String engineLogs(String nodeName) {
    return "engine.logs." + nodeName;
  }

  /** A node's metrics history: request {@code {"range": "1h"|"24h"|"30d"}}, reply the history's JSON. */
  public static String nodeMetrics(String nodeName) {
    return "node.metrics." + nodeName;
  }

  /** A node's history of one model: request {@code {"model", "range"}}, reply {@code {"node", "series": {...}}}. */
  public static String modelMetrics(String nodeName) {
    return "model.metrics." + nodeName;
  }

  /**
   * A node's model cache: request {@code {"op":"list"}} replies {@code {"items":[...]}}; {@code {"op":"delete",
   * "relative_path"}} replies {@code {"deleted":true}} or fails 409 (in use) / 404.
   */
  public static String modelFiles(String nodeName) {
    return "model.files." + nodeName;
  }

  /**
   * Provider credential circuits opened or closed on some node, published to all: {@code {"provider",
   * "index", "fingerprint", "sender"}} with {@code "open_until"} or {@code "closed_at"} (epoch ms).
   */
  public static String providerCircuits() {
    return "route.circuits";
  }

  private Addresses() {
  }
}
