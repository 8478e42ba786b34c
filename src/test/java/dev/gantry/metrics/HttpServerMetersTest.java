package dev.gantry.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the HTTP server's per-request meters: Vert.x Micrometer's series, each meter made once")
class HttpServerMetersTest {

  private static PrometheusMeterRegistry registry;
  private static Vertx vertx;
  private static HttpServer server;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    registry = MetricsSetup.registry("meters");
    vertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(MetricsSetup.vertxOptions()))
        .withMetrics(GantryVertxMetrics.factory(registry)).build();
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create());
    router.get("/things/:id").handler(ctx -> ctx.response().end("thing " + ctx.pathParam("id")));
    router.post("/things").handler(ctx -> ctx.response().setStatusCode(201).end("made " + ctx.body().length()));
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  @DisplayName("requests, times and bytes by route, method and code; request bytes and active requests by method")
  void countsEachRequestOnceUnderItsRouteMethodAndCode() throws Exception {
    assertThat(send("GET", "/things/7", null).statusCode()).isEqualTo(200);
    assertThat(send("GET", "/things/8", null).statusCode()).isEqualTo(200);
    HttpResponse<String> made = send("POST", "/things", "eleven byte");
    assertThat(made.statusCode()).isEqualTo(201);
    assertThat(send("GET", "/nowhere", null).statusCode()).isEqualTo(404);

    List<String> lines = waitFor("vertx_http_server_active_requests{method=\"GET\",node=\"meters\"} 0.0");
    assertThat(series(lines, "vertx_http_server_requests_total{", "route=\"/things/:id\""))
        .containsExactly("vertx_http_server_requests_total{code=\"200\",method=\"GET\",node=\"meters\",route=\"/things/:id\"} 2.0");
    assertThat(lines).contains(
        "vertx_http_server_requests_total{code=\"201\",method=\"POST\",node=\"meters\",route=\"/things\"} 1.0",
        "vertx_http_server_requests_total{code=\"404\",method=\"GET\",node=\"meters\",route=\"\"} 1.0",
        "vertx_http_server_response_time_seconds_count{code=\"200\",method=\"GET\",node=\"meters\",route=\"/things/:id\"} 2",
        "vertx_http_server_request_bytes_sum{method=\"POST\",node=\"meters\"} 11.0",
        "vertx_http_server_active_requests{method=\"POST\",node=\"meters\"} 0.0");
    assertThat(series(lines, "vertx_http_server_response_time_seconds_bucket{", "route=\"/things/:id\""))
        .as("the node's registry asks for a percentile histogram of response times").hasSizeGreaterThan(10);
    assertThat(series(lines, "vertx_http_server_response_bytes_sum{", "route=\"/things\""))
        .containsExactly("vertx_http_server_response_bytes_sum{code=\"201\",method=\"POST\",node=\"meters\",route=\"/things\"} "
            + (double) made.headers().firstValueAsLong("content-length").orElseThrow());
    assertThat(series(lines, "vertx_http_server_bytes_read_total{", ""))
        .as("connection meters stay Vert.x's").singleElement().satisfies(l -> assertThat(value(l)).isPositive());
  }

  @Test
  @DisplayName("methods a caller invents share one label, OTHER: they cannot grow the series")
  void inventedMethodsShareOneLabel() throws Exception {
    for (String method : List.of("BREW", "WHEN", "ZZZ1")) {
      assertThat(send(method, "/things/1", null).statusCode()).isIn(404, 405);
    }

    List<String> lines = waitFor("vertx_http_server_active_requests{method=\"OTHER\",node=\"meters\"} 0.0");
    assertThat(lines).noneMatch(l -> l.contains("BREW") || l.contains("WHEN") || l.contains("ZZZ1"));
    assertThat(series(lines, "vertx_http_server_requests_total{", "method=\"OTHER\""))
        .singleElement().satisfies(l -> assertThat(value(l)).isEqualTo(3.0));
  }

  private static HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The scrape once it holds {@code line} (a request's meters are settled when the server has written its end). */
  private static List<String> waitFor(String line) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    List<String> lines = registry.scrape().lines().toList();
    while (!lines.contains(line) && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
      lines = registry.scrape().lines().toList();
    }
    assertThat(lines).contains(line);
    return lines;
  }

  private static List<String> series(List<String> lines, String prefix, String containing) {
    return lines.stream().filter(l -> l.startsWith(prefix) && l.contains(containing)).toList();
  }

  private static double value(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }
}
