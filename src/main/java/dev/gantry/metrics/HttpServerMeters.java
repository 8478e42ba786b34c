package dev.gantry.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP server's per-request meters, under Vert.x Micrometer's names and labels
 * ({@code vertx_http_server_requests_total{route,method,code}}, {@code _response_time_seconds},
 * {@code _response_bytes}, {@code _request_bytes{method}}, {@code _active_requests{method}},
 * {@code _request_resets_total{method}}), with each meter looked up once: Vert.x's own implementation builds
 * a tag set and looks a meter up in the registry five times per request (and registers the active-requests
 * gauge again on each), which cost a loaded gateway 8 % of its CPU; here a request costs one map lookup by
 * (method, route, code). A method outside HTTP's own is labelled {@code OTHER} (no route serves one, and a
 * caller must not grow the label set by inventing them). Connection-level meters (active connections, bytes
 * read and written, WebSockets) stay Vert.x's: {@code connections} receives those calls.
 */
final class HttpServerMeters implements HttpServerMetrics<HttpServerMeters.Request, Object, Object> {

  private static final String PREFIX = "vertx.http.server.";
  /** The label of every method outside HTTP's own. */
  static final HttpMethod OTHER = HttpMethod.valueOf("OTHER");
  private static final Set<HttpMethod> KNOWN = Set.copyOf(HttpMethod.values());

  private final HttpServerMetrics<Object, Object, Object> connections;
  private final MeterRegistry registry;
  private final Map<HttpMethod, PerMethod> methods = new ConcurrentHashMap<>();

  @SuppressWarnings("unchecked")
  HttpServerMeters(HttpServerMetrics<?, ?, ?> connections, MeterRegistry registry) {
    this.connections = (HttpServerMetrics<Object, Object, Object>) connections;
    this.registry = registry;
  }

  @Override
  public Request requestBegin(Object socketMetric, HttpRequest request) {
    return begin(request.method());
  }

  @Override
  public Request responsePushed(Object socketMetric, HttpMethod method, String uri, HttpResponse response) {
    return begin(method);
  }

  private Request begin(HttpMethod method) {
    PerMethod meters = methods.computeIfAbsent(KNOWN.contains(method) ? method : OTHER, PerMethod::new);
    meters.active.increment();
    return new Request(meters, System.nanoTime());
  }

  @Override
  public void requestEnd(Request request, HttpRequest httpRequest, long bytesRead) {
    request.meters.requestBytes.record(bytesRead);
    request.requestEnded = true;
    if (request.responseEnded && !request.reset) {
      request.meters.active.decrement();
    }
  }

  @Override
  public void requestReset(Request request) {
    request.meters.resets.increment();
    if (!request.reset) {
      request.reset = true;
      if (!(request.requestEnded && request.responseEnded)) { // not yet counted out
        request.meters.active.decrement();
      }
    }
  }

  @Override
  public void requestRouted(Request request, String route) {
    request.routed(route);
  }

  @Override
  public void responseEnd(Request request, HttpResponse response, long bytesWritten) {
    Outcome outcome = request.meters.outcome(request.route(), response.statusCode());
    outcome.requests.increment();
    outcome.time.record(System.nanoTime() - request.startNanos, TimeUnit.NANOSECONDS);
    outcome.bytes.record(bytesWritten);
    request.responseEnded = true;
    if (request.requestEnded && !request.reset) {
      request.meters.active.decrement();
    }
  }

  @Override
  public Object connected(Object socketMetric, Request request, ServerWebSocket webSocket) {
    return connections.connected(socketMetric, null, webSocket);
  }

  @Override
  public void disconnected(Object webSocketMetric) {
    connections.disconnected(webSocketMetric);
  }

  @Override
  public Object connected(SocketAddress remoteAddress, String remoteName) {
    return connections.connected(remoteAddress, remoteName);
  }

  @Override
  public void disconnected(Object socketMetric, SocketAddress remoteAddress) {
    connections.disconnected(socketMetric, remoteAddress);
  }

  @Override
  public void bytesRead(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
    connections.bytesRead(socketMetric, remoteAddress, numberOfBytes);
  }

  @Override
  public void bytesWritten(Object socketMetric, SocketAddress remoteAddress, long numberOfBytes) {
    connections.bytesWritten(socketMetric, remoteAddress, numberOfBytes);
  }

  @Override
  public void exceptionOccurred(Object socketMetric, SocketAddress remoteAddress, Throwable t) {
    connections.exceptionOccurred(socketMetric, remoteAddress, t);
  }

  @Override
  public void close() {
    connections.close();
  }

  /** The meters of one HTTP method, and of each (route, status code) answered to it, made on first use. */
  private final class PerMethod {
    private final Tags tags;
    private final LongAdder active = new LongAdder();
    private final DistributionSummary requestBytes;
    private final Counter resets;
    private final Map<OutcomeKey, Outcome> outcomes = new ConcurrentHashMap<>();

    PerMethod(HttpMethod method) {
      tags = Tags.of("method", method.name());
      Gauge.builder(PREFIX + "active.requests", active, LongAdder::doubleValue)
          .description("Number of requests being processed").tags(tags).strongReference(true).register(registry);
      requestBytes = DistributionSummary.builder(PREFIX + "request.bytes").description("Size of requests in bytes")
          .tags(tags).register(registry);
      resets = Counter.builder(PREFIX + "request.resets").description("Number of request resets").tags(tags)
          .register(registry);
    }

    Outcome outcome(String route, int code) {
      OutcomeKey key = new OutcomeKey(route, code);
      Outcome outcome = outcomes.get(key);
      return outcome != null ? outcome : outcomes.computeIfAbsent(key, this::newOutcome);
    }

    private Outcome newOutcome(OutcomeKey key) {
      Tags outcomeTags = tags.and("route", key.route(), "code", Integer.toString(key.code()));
      return new Outcome(
          Counter.builder(PREFIX + "requests").description("Number of processed requests").tags(outcomeTags)
              .register(registry),
          Timer.builder(PREFIX + "response.time").description("Request processing time").tags(outcomeTags)
              .register(registry),
          DistributionSummary.builder(PREFIX + "response.bytes").description("Size of responses in bytes")
              .tags(outcomeTags).register(registry));
    }
  }

  private record OutcomeKey(String route, int code) {
  }

  private record Outcome(Counter requests, Timer time, DistributionSummary bytes) {
  }

  /** One request's meters and state; used from its connection's event loop only. */
  static final class Request {
    private final PerMethod meters;
    private final long startNanos;
    /** The routes it passed, as Vert.x labels them: their names joined by '>' (a sub-router's after its mount). */
    private Object routes;
    private boolean requestEnded;
    private boolean responseEnded;
    private boolean reset;

    private Request(PerMethod meters, long startNanos) {
      this.meters = meters;
      this.startNanos = startNanos;
    }

    @SuppressWarnings("unchecked")
    private void routed(String route) {
      if (route == null) {
        return;
      }
      if (routes == null) {
        routes = route;
      } else if (routes instanceof String first) {
        List<String> several = new ArrayList<>(4);
        several.add(first);
        several.add(route);
        routes = several;
      } else {
        ((List<String>) routes).add(route);
      }
    }

    @SuppressWarnings("unchecked")
    private String route() {
      if (routes == null) {
        return "";
      }
      return routes instanceof String one ? one : String.join(">", (List<String>) routes);
    }
  }
}
