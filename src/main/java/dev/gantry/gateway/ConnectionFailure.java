package dev.gantry.gateway;

import io.vertx.core.http.HttpClosedException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Why a request to an engine or another node failed before its answer arrived, in a few bounded words
 * (the {@code cause} label of {@code gantry_gateway_upstream_connection_failures_total}).
 */
final class ConnectionFailure {

  /** The connection was closed by the other side before the answer (a stale keep-alive connection). */
  static final String CLOSED = "closed";
  /** The other side reset the connection, or it broke while the request was written. */
  static final String RESET = "reset";
  static final String REFUSED = "refused";
  static final String TIMEOUT = "timeout";
  static final String OTHER = "other";

  private ConnectionFailure() {
  }

  static String cause(Throwable error) {
    if (error instanceof HttpClosedException) {
      return CLOSED;
    }
    if (error instanceof ConnectException) {
      return REFUSED;
    }
    if (error instanceof TimeoutException || error.getClass().getSimpleName().contains("Timeout")) {
      return TIMEOUT;
    }
    String message = error.getMessage() == null ? "" : error.getMessage().toLowerCase(Locale.ROOT);
    if (error instanceof IOException && (message.contains("reset") || message.contains("broken pipe"))) {
      return RESET;
    }
    return OTHER;
  }

  /**
   * Whether the failure is one of a connection the other side had closed or reset before answering, so
   * that the request can be sent again on a fresh connection (a refused or timed-out connect is not:
   * a fresh connection would meet the same).
   */
  static boolean staleConnection(Throwable error) {
    String cause = cause(error);
    return CLOSED.equals(cause) || RESET.equals(cause);
  }
}
