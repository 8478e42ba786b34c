package dev.gantry.api;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The public HTTP port: one instance per event loop, each with its own router built by the
 * composition root (management API, auth, health, metrics, console, and later the gateway).
 *
 * <p>Limits: a connection with no byte in either direction for {@link #IDLE_TIMEOUT_S} seconds is closed
 * (watch streams send a keep-alive comment every {@link SseWatch#KEEP_ALIVE_MS} ms, so they stay open; a log
 * follow that gains no line for that long ends); at most {@link #MAX_CONNECTIONS} connections are open on
 * the node at once (all instances together): a connection beyond that is closed as soon as it is accepted.
 *
 * <p>Answers are never compressed, whatever the client accepts. SDK clients ask for gzip on every call, and
 * gzipping each small gateway answer took the node 1.5x the CPU per request (and would hold a stream's
 * events back in the compressor); the console is 420 KB of small files that browsers revalidate with 304s.
 * A reverse proxy in front can compress for slow links.
 */
public final class ApiVerticle extends VerticleBase {

  public static final int IDLE_TIMEOUT_S = 120;
  public static final int MAX_CONNECTIONS = 10_000;

  private final String host;
  private final int port;
  private final Function<Vertx, Router> routerFactory;
  private final AtomicInteger connections;
  private final int maxConnections;
  private HttpServer server;

  /** @param connections this node's open connections, shared by every instance */
  public ApiVerticle(String host, int port, Function<Vertx, Router> routerFactory, AtomicInteger connections) {
    this(host, port, routerFactory, connections, MAX_CONNECTIONS);
  }

  ApiVerticle(String host, int port, Function<Vertx, Router> routerFactory, AtomicInteger connections,
      int maxConnections) {
    this.host = host;
    this.port = port;
    this.routerFactory = routerFactory;
    this.connections = connections;
    this.maxConnections = maxConnections;
  }

  @Override
  public Future<?> start() {
    Router router = routerFactory.apply(vertx);
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
        .setTcpNoDelay(true)
        .setIdleTimeout(IDLE_TIMEOUT_S).setIdleTimeoutUnit(TimeUnit.SECONDS));
    server.connectionHandler(connection -> {
      if (connections.incrementAndGet() > maxConnections) {
        connections.decrementAndGet();
        connection.close();
        return;
      }
      connection.closeHandler(v -> connections.decrementAndGet());
    });
    return server.requestHandler(router).invalidRequestHandler(new InvalidRequests()).listen();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
