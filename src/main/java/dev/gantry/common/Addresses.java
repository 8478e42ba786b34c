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

  /**
   * A node's model cache: request {@code {"op":"list"}} replies {@code {"items":[...]}}; {@code {"op":"delete",
   * "relative_path"}} replies {@code {"deleted":true}} or fails 409 (in use) / 404.
   */
  public static String modelFiles(String nodeName) {
    return "model.files." + nodeName;
  }

  private Addresses() {
  }
}
