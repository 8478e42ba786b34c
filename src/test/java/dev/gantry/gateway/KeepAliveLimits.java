package dev.gantry.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The keep-alive limits of llama-server's HTTP library (cpp-httplib), for {@link TestEngine}: the
 * {@code max}-th answer on a connection carries {@code Connection: close} and the connection is closed
 * after it; a connection that stays idle {@code idleMs} after an answer is closed without a word, which
 * races with a request the client may be sending on it at that moment.
 */
final class KeepAliveLimits {

  private final Vertx vertx;
  private final int max;
  private final long idleMs;
  private final Map<HttpConnection, State> connections = new ConcurrentHashMap<>();
  private final AtomicInteger closedAfterMax = new AtomicInteger();
  private final AtomicInteger closedIdle = new AtomicInteger();

  KeepAliveLimits(Vertx vertx, int max, long idleMs) {
    this.vertx = vertx;
    this.max = max;
    this.idleMs = idleMs;
  }

  /** Called on the connection's event loop when a request begins. */
  void requestStarted(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    State state = connections.computeIfAbsent(connection, c -> {
      c.closeHandler(v -> connections.remove(c));
      return new State();
    });
    vertx.cancelTimer(state.idleTimer);
    state.served++;
    boolean last = state.served >= max;
    if (last) {
      request.response().putHeader("Connection", "close");
    }
    request.response().endHandler(v -> {
      if (last) {
        closedAfterMax.incrementAndGet();
        connection.close();
      } else {
        state.idleTimer = vertx.setTimer(idleMs, t -> {
          closedIdle.incrementAndGet();
          connection.close();
        });
      }
    });
  }

  int closedAfterMax() {
    return closedAfterMax.get();
  }

  int closedIdle() {
    return closedIdle.get();
  }

  /** What one connection has served; touched on its event loop only. */
  private static final class State {
    int served;
    long idleTimer = -1;
  }
}
