package dev.gantry.node.device;

/** A vendor tool's output that cannot be read at all (cut JSON, XML that is not well-formed). */
public final class DeviceParseException extends RuntimeException {

  public DeviceParseException(String message, Throwable cause) {
    super(message, cause);
  }
}
