package dev.gantry.common;

/** Event-bus addresses, named {@code <area>.<noun>}; the only place they are spelled. */
public final class Addresses {

  /** One usage record per gateway request, sent to this node's metering verticle (local only). */
  public static final String METERING_USAGE = "metering.usage";

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
