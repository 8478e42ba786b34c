package dev.gantry.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP client towards engines and other nodes' relay routes, one per event loop. Requests
 * go over a pooled keep-alive connection; when that connection turns out to have been closed by the
 * other side before any byte of the answer arrived (an engine closes idle or worn-out keep-alive
 * connections, and the close can cross our next request on the wire), the same request is sent once
 * more at once on a fresh connection to the same place. That is safe because the whole body is in
 * memory and the other side never read the request from a connection it had already closed.
 *
 * <p>The pool closes idle connections after {@link #KEEP_ALIVE_SECONDS} s, checked every
 * {@link #CLEANER_PERIOD_MS} ms: below llama-server's 5 s keep-alive timeout, so the engine rarely
 * closes one first. A response with {@code Connection: close} takes its connection out of the pool.
 */
final class EngineClient {

  static final int CONNECT_TIMEOUT_MS = 2_000;
  static final int POOL_SIZE_PER_ENGINE = 1_024;
  /** Idle pooled connections are closed after this; llama-server (cpp-httplib) closes them after 5 s. */
  static final int KEEP_ALIVE_SECONDS = 2;
  static final int CLEANER_PERIOD_MS = 500;
  /** No connection is reused for longer than this, whatever the other side's limits. */
  static final int MAX_LIFETIME_SECONDS = 60;

  private static final Logger LOG = LoggerFactory.getLogger(EngineClient.class);

  private final HttpClient pooled;
  private final HttpClient fresh;
  private final GatewayMetrics metrics;

  private EngineClient(HttpClient pooled, HttpClient fresh, GatewayMetrics metrics) {
    this.pooled = pooled;
    this.fresh = fresh;
    this.metrics = metrics;
  }

  static EngineClient create(Vertx vertx, GatewayMetrics metrics) {
    HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        .setConnectTimeout(CONNECT_TIMEOUT_MS).setKeepAliveTimeout(KEEP_ALIVE_SECONDS);
    HttpClient pooled = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(POOL_SIZE_PER_ENGINE)
        .setMaxWaitQueueSize(-1).setCleanerPeriod(CLEANER_PERIOD_MS)
        .setMaxLifetime(MAX_LIFETIME_SECONDS).setMaxLifetimeUnit(TimeUnit.SECONDS));
    HttpClient fresh = vertx.createHttpClient(new HttpClientOptions(options).setKeepAlive(false),
        new PoolOptions().setHttp1MaxSize(POOL_SIZE_PER_ENGINE).setMaxWaitQueueSize(-1));
    return new EngineClient(pooled, fresh, metrics);
  }

  /**
   * Sends {@code payload} and answers the response head. {@code onRequest} gets each request before it
   * is sent, so that the caller can reset it; {@code abandoned} says the caller no longer wants the
   * answer (no second try then). {@code model}, {@code instance} and {@code target} ({@code engine} or
   * {@code node}) label the failure metric.
   */
  Future<HttpClientResponse> send(RequestOptions options, Buffer payload, String model, String instance, String target,
      Consumer<HttpClientRequest> onRequest, BooleanSupplier abandoned) {
    return send(pooled, options, payload, onRequest).recover(error -> {
      String cause = ConnectionFailure.cause(error);
      metrics.upstreamConnectionFailed(model, instance, target, cause);
      if (!ConnectionFailure.staleConnection(error) || abandoned.getAsBoolean()) {
        return Future.failedFuture(error);
      }
      LOG.debug("pooled connection closed before answering, sending again on a fresh one [model: {}, instance: {}, "
          + "target: {}:{}, cause: {}]", model, instance, options.getHost(), options.getPort(), cause);
      return send(fresh, options, payload, onRequest).onFailure(again ->
          metrics.upstreamConnectionFailed(model, instance, target, ConnectionFailure.cause(again)));
    });
  }

  private static Future<HttpClientResponse> send(HttpClient client, RequestOptions options, Buffer payload,
      Consumer<HttpClientRequest> onRequest) {
    return client.request(options).compose(request -> {
      onRequest.accept(request);
      return request.send(payload);
    });
  }
}
