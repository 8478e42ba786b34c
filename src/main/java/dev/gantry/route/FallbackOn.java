package dev.gantry.route;

import io.vertx.core.json.JsonObject;

/**
 * What makes a route leave a target for its next fallback, always before the client got a byte:
 * a connection that fails (refused, reset, a provider's own timeout), a 5xx, a 429, no answer head
 * within {@code firstByteTimeoutMs}, no first event (or whole answer) within {@code ttftDeadlineMs}
 * (0: no such deadline).
 */
public record FallbackOn(boolean connectError, boolean serverError, boolean rateLimited, long firstByteTimeoutMs,
    long ttftDeadlineMs) {

  public static final FallbackOn DEFAULT = new FallbackOn(true, true, true, 0, 0);

  /** Why an attempt at one target failed before the client got a byte. */
  public enum Trigger {
    /** refused, reset, broken before the first event, or cut at the provider's timeout */
    CONNECT_ERROR,
    SERVER_ERROR,
    RATE_LIMITED,
    /** the route's own first-byte or time-to-first-token deadline passed */
    DEADLINE,
    /** the target had nothing to try: no running replica, every credential's circuit open */
    UNAVAILABLE
  }

  /** Whether this trigger moves the request on to the next target. */
  public boolean fallsBackOn(Trigger trigger) {
    return switch (trigger) {
      case CONNECT_ERROR -> connectError;
      case SERVER_ERROR -> serverError;
      case RATE_LIMITED -> rateLimited;
      case DEADLINE, UNAVAILABLE -> true;
    };
  }

  static FallbackOn from(JsonObject json) {
    if (json == null) {
      return DEFAULT;
    }
    return new FallbackOn(json.getBoolean("connect_error", true), json.getBoolean("server_error", true),
        json.getBoolean("rate_limited", true), json.getLong("first_byte_timeout_ms", 0L),
        json.getLong("ttft_deadline_ms", 0L));
  }
}
