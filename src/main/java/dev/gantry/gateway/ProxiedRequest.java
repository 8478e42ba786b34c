package dev.gantry.gateway;

import dev.gantry.common.RetryLater;
import dev.gantry.common.AutoscaleSpec;
import dev.gantry.api.RequestIds;
import dev.gantry.common.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.Set;

/**
 * One client request on its way to an engine: picks an instance, retries a connect failure or a 5xx
 * on another instance while the client has received nothing (a pooled connection the engine had
 * already closed is retried on the same instance by {@link EngineClient}, unseen here), relays the answer whole or as a stream,
 * and resets the engine request when the client goes away. A request that came in another protocol
 * (Anthropic Messages, OpenAI Responses: its {@code dialect}) is sent as the OpenAI chat body it was
 * turned into, and its answer is turned back; the OpenAI requests' bytes (JSON, or a multipart form with
 * its own content type) pass unchanged.
 */
final class ProxiedRequest {

  private final UpstreamProxy proxy;
  private final RoutingContext ctx;
  private final UsageMeter meter;
  private final Operation operation;
  private final String model;
  private final boolean streaming;
  private final boolean clientWantsUsage;
  private final Buffer payload;
  private final String requestId;
  private final ChatDialect dialect;
  private final String contentType;
  private final Set<String> tried = new HashSet<>(4);
  private HttpClientRequest upstreamRequest;
  private InstanceLoad.Lease lease;
  private boolean clientGone;
  private boolean held;
  private ColdStarts.Waiter waiter;
  private Runnable releaseHold;

  ProxiedRequest(UpstreamProxy proxy, RoutingContext ctx, UsageMeter meter, Operation operation, String model,
      JsonObject body, ChatDialect dialect) {
    this.proxy = proxy;
    this.ctx = ctx;
    this.meter = meter;
    this.operation = operation;
    this.model = model;
    this.streaming = body != null && OpenAiRequests.streaming(operation, body);
    this.clientWantsUsage = dialect == null && body != null && OpenAiRequests.clientWantsUsage(body);
    this.payload = streaming ? OpenAiRequests.withUsageRequested(body) : dialect != null ? body.toBuffer() : ctx.body().buffer();
    this.requestId = ctx.get(RequestIds.KEY);
    this.dialect = dialect;
    this.contentType = operation.multipart() ? ctx.request().getHeader(HttpHeaders.CONTENT_TYPE) : "application/json";
  }

  void start() {
    ctx.addEndHandler(result -> {
      if (!ctx.response().ended()) {
        clientClosed();
      }
    });
    attempt(null);
  }

  private void attempt(String previousProblem) {
    Upstream upstream = tried.size() < UpstreamProxy.MAX_ATTEMPTS ? proxy.pick(model, tried) : null;
    if (upstream == null && tried.isEmpty() && !held) {
      AutoscaleSpec autoscale = proxy.holdsFor(model);
      if (autoscale != null) {
        hold(autoscale);
        return;
      }
    }
    if (upstream == null) {
      giveUp(previousProblem);
      return;
    }
    tried.add(upstream.id());
    InstanceLoad.Lease mine = proxy.load().acquire(upstream.id());
    lease = mine;
    meter.upstream(upstream);
    proxy.send(upstream, operation, payload, contentType, requestId, request -> upstreamRequest = request, () -> clientGone)
        .onSuccess(response -> answered(upstream, response, mine))
        .onFailure(error -> {
          mine.release();
          retryOrGiveUp(upstream, "cannot reach it (" + describe(error) + ")");
        });
  }

  private void answered(Upstream upstream, HttpClientResponse response, InstanceLoad.Lease mine) {
    if (clientGone) {
      mine.release();
      return;
    }
    int status = response.statusCode();
    if (status >= 500 && mayRetry()) {
      response.body().onComplete(drained -> mine.release());
      attempt(describe(upstream, "answered HTTP " + status));
      return;
    }
    String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
    if (streaming && status == 200 && type != null && type.startsWith("text/event-stream")) {
      StreamTally tally = new StreamTally(clientWantsUsage);
      meter.usageFrom(tally::usage);
      new StreamRelay(ctx, response, tally, meter, mine, model, upstream,
          problem -> retryOrGiveUp(upstream, problem), dialect == null ? null : dialect.stream().apply(model)).start();
      return;
    }
    response.body().onComplete(body -> {
      mine.release();
      if (clientGone) {
        return;
      }
      if (body.failed()) {
        retryOrGiveUp(upstream, "failed while answering (" + describe(body.cause()) + ")");
        return;
      }
      if (status < 300 && (type == null || type.contains("json"))) {
        meter.usage(Usage.find(body.result()));
      }
      if (dialect != null) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(dialect.answer().of(model, status, body.result()));
        return;
      }
      ctx.response().setStatusCode(status)
          .putHeader(HttpHeaders.CONTENT_TYPE, type == null ? "application/json" : type)
          .end(body.result());
    });
  }

  /**
   * Holds the request of an autoscaled model that has no running replica (scaled to zero, or still
   * starting) until one runs, at most its {@code hold_timeout}; the autoscaler sees it waiting and starts
   * a replica. A full queue, or the timeout, answers 503 with Retry-After.
   */
  private void hold(AutoscaleSpec autoscale) {
    held = true;
    releaseHold = proxy.demand().hold(model);
    long[] timer = {-1};
    waiter = proxy.coldStarts().add(model, ctx.vertx().getOrCreateContext(), () -> {
      ctx.vertx().cancelTimer(timer[0]);
      releaseHold.run();
      if (!clientGone) {
        attempt(null);
      }
    });
    if (waiter == null) {
      releaseHold.run();
      ctx.fail(RetryLater.unavailable("model '" + model + "' is starting and " + ColdStarts.MAX_PER_MODEL
          + " requests already wait for it on this node; retry in a few seconds", 5));
      return;
    }
    timer[0] = ctx.vertx().setTimer(autoscale.holdTimeout().toMillis(), t -> {
      if (proxy.coldStarts().remove(model, waiter)) {
        releaseHold.run();
        if (!clientGone) {
          ctx.fail(RetryLater.unavailable("model '" + model + "' did not get a running replica within "
              + autoscale.holdTimeout().toSeconds() + " s (" + proxy.unavailable(model) + "); retry later", 10));
        }
      }
    });
    if (proxy.pick(model, tried) != null && proxy.coldStarts().remove(model, waiter)) {
      ctx.vertx().cancelTimer(timer[0]);  // a replica came up between the first look and the queue
      releaseHold.run();
      attempt(null);
    }
  }

  private void retryOrGiveUp(Upstream upstream, String problem) {
    if (clientGone) {
      return;
    }
    String described = describe(upstream, problem);
    if (mayRetry()) {
      attempt(described);
    } else {
      giveUp(described);
    }
  }

  private boolean mayRetry() {
    return !clientGone && tried.size() < UpstreamProxy.MAX_ATTEMPTS && proxy.hasAlternative(model, tried);
  }

  private void giveUp(String problem) {
    if (problem == null) {
      ctx.fail(new ApiException(503, "model_unavailable", proxy.unavailable(model)));
    } else {
      ctx.fail(new ApiException(502, "upstream_error", "no replica of model '" + model + "' could answer ("
          + tried.size() + " tried); last: " + problem));
    }
  }

  /** The client went away before its answer ended (end handlers may run in any order: the record is fixed first). */
  private void clientClosed() {
    clientGone = true;
    if (waiter != null && proxy.coldStarts().remove(model, waiter)) {
      releaseHold.run();
    }
    meter.result(UsageMeter.CLIENT_CLOSED, UsageMeter.CANCELLED);
    if (upstreamRequest != null) {
      upstreamRequest.reset();
    }
    if (lease != null) {
      lease.release();
    }
  }

  private static String describe(Upstream upstream, String problem) {
    return "instance " + upstream.name() + " on node " + upstream.nodeName() + " " + problem;
  }

  static String describe(Throwable error) {
    return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
  }
}
