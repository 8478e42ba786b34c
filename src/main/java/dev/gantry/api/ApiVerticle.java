package dev.gantry.api;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.Function;
import io.vertx.core.Vertx;

/**
 * The public HTTP port: one instance per event loop, each with its own router built by the
 * composition root (management API, auth, health, metrics, console, and later the gateway).
 */
public final class ApiVerticle extends VerticleBase {

  private final String host;
  private final int port;
  private final Function<Vertx, Router> routerFactory;
  private HttpServer server;

  public ApiVerticle(String host, int port, Function<Vertx, Router> routerFactory) {
    this.host = host;
    this.port = port;
    this.routerFactory = routerFactory;
  }

  @Override
  public Future<?> start() {
    Router router = routerFactory.apply(vertx);
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
        .setCompressionSupported(true).setTcpNoDelay(true));
    return server.requestHandler(router).invalidRequestHandler(new InvalidRequests()).listen();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
