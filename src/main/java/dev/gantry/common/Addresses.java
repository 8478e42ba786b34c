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

  private Addresses() {
  }
}
