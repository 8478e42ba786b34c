package dev.gantry.bench;

import dev.gantry.metrics.MetricsSetup;
import dev.gantry.api.ApiVerticle;
import dev.gantry.config.SocketTransport;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.transport.Transport;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.MicrometerMetricsFactory;
import java.util.concurrent.TimeUnit;

/**
 * The ceiling of Gantry's stack, for {@code scripts/bench-gateway.sh}: the least a Vert.x proxy can do,
 * with the same Vert.x and Netty, the socket transport a node takes by default and one verticle per core as
 * a node, and the keep-alive pool settings of the gateway's engine client. It forwards each request's body unchanged to
 * the engine and relays the whole answer (an event stream as it arrives, with the client's {@code Authorization}
 * header passed on, for the stream benchmark): no router, no authentication, no parsing, no metrics, no record.
 * What Gantry adds over this is its own work; what this adds over nginx is the stack's.
 *
 * <p>Two layers of the stack can be put back one at a time, to see what each costs: {@code -Dbare.router=true}
 * serves through a Vert.x Web router with a body handler (as a node's routes are), {@code -Dbare.metrics=true}
 * turns on the node's Vert.x Micrometer metrics (HTTP server meters by route, method and code, Prometheus),
 * {@code -Dbare.serverOptions=true} serves with a node's HTTP server options (compression supported, an idle
 * timeout: Netty's content compressor, chunked writer and idle-state handlers in every connection's pipeline; one
 * of the two alone with {@code -Dbare.compression=true} or {@code -Dbare.idleTimeout=true}).
 *
 * <p>Usage: {@code BareVertxProxy <listen port> <engine port>}.
 */
public final class BareVertxProxy extends VerticleBase {

  private final int port;
  private final int enginePort;
  private HttpClient client;

  private BareVertxProxy(int port, int enginePort) {
    this.port = port;
    this.enginePort = enginePort;
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    int enginePort = Integer.parseInt(args[1]);
    VertxOptions options = new VertxOptions();
    Transport transport = SocketTransport.AUTO.resolve();  // the transport a node takes by default
    Vertx vertx = Boolean.getBoolean("bare.metrics")
        ? Vertx.builder().with(options.setMetricsOptions(MetricsSetup.vertxOptions())).withTransport(transport)
            .withMetrics(new MicrometerMetricsFactory(MetricsSetup.registry("bare"))).build()
        : Vertx.builder().with(options).withTransport(transport).build();
    int instances = Runtime.getRuntime().availableProcessors();
    vertx.deployVerticle(() -> new BareVertxProxy(port, enginePort), new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> System.out.println("bare vert.x proxy on 127.0.0.1:" + port + " ("
            + SocketTransport.label(transport) + ", " + instances + " event loops, router " + Boolean.getBoolean("bare.router")
            + ", metrics " + Boolean.getBoolean("bare.metrics") + ", node server options "
            + Boolean.getBoolean("bare.serverOptions") + ")"))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }

  @Override
  public Future<?> start() {
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(1_024).setMaxWaitQueueSize(-1));
    Handler<HttpServerRequest> handler = request -> request.body().onSuccess(body -> forward(request, body))
        .onFailure(e -> request.response().setStatusCode(400).end());
    if (Boolean.getBoolean("bare.router")) {
      Router router = Router.router(vertx);
      router.route().handler(BodyHandler.create(false).setBodyLimit(1024 * 1024));
      router.post("/v1/chat/completions").handler(ctx -> forward(ctx.request(), ctx.body().buffer()));
      handler = router;
    }
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true);
    boolean serverOptions = Boolean.getBoolean("bare.serverOptions");
    if (serverOptions || Boolean.getBoolean("bare.compression")) {
      options.setCompressionSupported(true);
    }
    if (serverOptions || Boolean.getBoolean("bare.idleTimeout")) {
      options.setIdleTimeout(ApiVerticle.IDLE_TIMEOUT_S).setIdleTimeoutUnit(TimeUnit.SECONDS);
    }
    return vertx.createHttpServer(options).requestHandler(handler).listen();
  }

  private void forward(HttpServerRequest request, Buffer body) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(enginePort)
        .setURI(request.uri()).putHeader("content-type", "application/json");
    String authorization = request.getHeader("authorization");
    if (authorization != null) {
      options.putHeader("authorization", authorization);
    }
    client.request(options).compose(upstream -> upstream.send(body)).compose(answer -> {
      String type = answer.getHeader("content-type");
      if (type != null && type.startsWith("text/event-stream")) {  // relayed as it arrives (the stream benchmark)
        request.response().setStatusCode(answer.statusCode()).setChunked(true).putHeader("content-type", type);
        return answer.pipeTo(request.response());
      }
      return answer.body().<Void>map(bytes -> {
        request.response().setStatusCode(answer.statusCode()).putHeader("content-type", "application/json")
            .end(bytes);
        return null;
      });
    }).onFailure(e -> {
      if (request.response().headWritten()) {
        request.connection().close();
      } else {
        request.response().setStatusCode(502).end();
      }
    });
  }
}
