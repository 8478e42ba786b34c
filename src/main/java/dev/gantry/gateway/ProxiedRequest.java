package dev.gantry.gateway;

import dev.gantry.common.RetryLater;
import dev.gantry.common.AutoscaleSpec;
import dev.gantry.api.RequestIds;
import dev.gantry.route.FallbackOn.Trigger;
import dev.gantry.route.Target;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.Set;

/**
 * One client request on its way along its plan ({@link Resolved}: a model, a provider model, or a route's
 * picked target and then its fallbacks). At a Gantry model it picks an instance and retries a connect
 * failure or a 5xx on another instance while the client has received nothing (a pooled connection the
 * engine had already closed is retried on the same instance by {@link EngineClient}, unseen here); at a
 * provider it takes the next credential whose circuit is closed. A target that fails before the client got
 * a byte, in a way the route's {@code fallback_on} names, hands the request to the next target; nothing
 * fails over once a byte went out. The answer is relayed whole or as a stream, and the upstream request
 * is reset when the client goes away. A request that came in another protocol (Anthropic Messages, OpenAI
 * Responses: its {@code dialect}) is sent as the OpenAI chat body it was turned into and its answer turned
 * back, except that an Anthropic Messages request ({@code original} set) at an Anthropic provider is sent
 * and answered as it is; an OpenAI chat request at an Anthropic provider is sent as Messages
 * ({@link AnthropicProviderRequests}) and its answer turned into chat ({@link AnthropicProviderAnswers},
 * {@link AnthropicProviderStream}) before anything else sees it. The OpenAI requests' bytes (JSON, or a
 * multipart form with its own content type) pass unchanged to a Gantry model called by its own name; to any
 * other target a form goes with only its {@code model} field renamed.
 */
final class ProxiedRequest {

  private final UpstreamProxy proxy;
  private final RoutingContext ctx;
  private final UsageMeter meter;
  private final Operation operation;
  private final Resolved resolved;
  private final ClientBody body;
  private final JsonObject original;
  private final boolean streaming;
  private final boolean clientWantsUsage;
  private final Buffer plainPayload;
  private final String requestId;
  private final ChatDialect dialect;
  private final String contentType;
  private final Set<String> tried = new HashSet<>(4);
  private final TriedTargets attempts = new TriedTargets();
  private int step;
  private int generation;
  private HttpClientRequest upstreamRequest;
  private InstanceLoad.Lease lease;
  private StreamRelay relay;
  private AttemptDeadlines deadlines;
  private Trigger lastTrigger = Trigger.CONNECT_ERROR;
  private boolean clientGone;
  private boolean held;
  private ColdStarts.Waiter waiter;
  private Runnable releaseHold;
  /** Whether this target's replicas about to run were re-read from the cluster ({@link UpstreamProxy#catchUp}). */
  private boolean caughtUp;

  ProxiedRequest(UpstreamProxy proxy, RoutingContext ctx, UsageMeter meter, Operation operation, Resolved resolved,
      ClientBody body, ChatDialect dialect, JsonObject original) {
    this.proxy = proxy;
    this.ctx = ctx;
    this.meter = meter;
    this.operation = operation;
    this.resolved = resolved;
    this.body = body;
    this.dialect = dialect;
    this.original = original;
    this.streaming = body != null && body.streams(operation);
    this.clientWantsUsage = dialect == null && body != null && body.includeUsage();
    this.plainPayload = !resolved.plainModel() ? null : streaming ? body.withUsageRequested()
        : dialect != null ? body.tree().toBuffer() : ctx.body().buffer();
    this.requestId = ctx.get(RequestIds.KEY);
    this.contentType = operation.multipart() ? ctx.request().getHeader(HttpHeaders.CONTENT_TYPE) : "application/json";
  }

  void start() {
    ctx.addEndHandler(result -> {
      if (deadlines != null) {
        deadlines.cancel();
      }
      if (!ctx.response().ended()) {
        clientClosed();
      }
    });
    attempt(null);
  }

  private Target target() {
    return resolved.plan().get(step);
  }

  private void attempt(String previousProblem) {
    Target target = target();
    Upstream upstream = target.external() ? (tried.isEmpty() ? proxy.provider(target) : null)
        : tried.size() < UpstreamProxy.MAX_ATTEMPTS ? proxy.pick(target.model(), tried) : null;
    if (upstream == null && tried.isEmpty() && !caughtUp && !target.external() && catchingUp(target, previousProblem)) {
      return;
    }
    boolean last = step == resolved.plan().size() - 1;
    if (upstream == null && tried.isEmpty() && !held && last && !target.external()) {
      AutoscaleSpec autoscale = proxy.holdsFor(target.model());
      if (autoscale != null) {
        hold(autoscale);
        return;
      }
    }
    if (upstream == null) {
      targetFailed(previousProblem == null ? Trigger.UNAVAILABLE : lastTrigger,
          previousProblem != null ? previousProblem : TriedTargets.unavailable(target, proxy));
      return;
    }
    boolean anthropic = upstream.external() && upstream.provider().anthropic();
    boolean passThrough = anthropic && original != null;
    if (anthropic && original == null && operation != Operation.CHAT) {
      targetFailed(Trigger.UNAVAILABLE, "provider '" + target.provider() + "' speaks Anthropic Messages, to which only "
          + "chat completions are converted; " + operation.path() + " cannot go there");
      return;
    }
    tried.add(upstream.id());
    send(upstream, passThrough);
  }

  /**
   * The target has no running replica here, but this node may only lag behind the cluster: its replicas about
   * to run are re-read ({@link UpstreamProxy#catchUp}) and the attempt is made again once they are; false
   * when there was none to re-read (nothing waited for).
   */
  private boolean catchingUp(Target target, String previousProblem) {
    caughtUp = true;
    Future<Boolean> read = proxy.catchUp(target.model());
    if (read.isComplete() && !Boolean.TRUE.equals(read.result())) {
      return false;
    }
    read.onComplete(done -> {
      if (!clientGone) {
        attempt(previousProblem);
      }
    });
    return true;
  }

  private void send(Upstream upstream, boolean passThrough) {
    int mine = ++generation;
    InstanceLoad.Lease leased = upstream.external() ? InstanceLoad.detached() : proxy.load().acquire(upstream.id());
    lease = leased;
    meter.upstream(upstream);
    if (deadlines != null) {
      deadlines.cancel();
    }
    boolean fallbackLeft = step + 1 < resolved.plan().size();
    deadlines = resolved.route() == null || !fallbackLeft ? null : new AttemptDeadlines(ctx.vertx(), resolved.fallbackOn(),
        () -> ctx.response().headWritten() || ctx.response().ended(), what -> cut(mine, upstream, what));
    boolean messages = passThrough || toAnthropic(upstream);
    proxy.send(upstream, operation, messages, payload(passThrough, messages), contentType, requestId,
            request -> upstreamRequest = request, () -> clientGone || mine != generation)
        .onSuccess(response -> {
          if (mine == generation) {
            answered(upstream, response, leased, passThrough);
          } else {
            leased.release();
            response.request().reset();
          }
        })
        .onFailure(error -> {
          leased.release();
          if (mine == generation) {
            providerFailed(upstream);
            failed(upstream, Trigger.CONNECT_ERROR, "cannot reach it (" + describe(error) + ")");
          }
        });
  }

  /**
   * The body for the current target: the client's bytes for a plain model, else the body naming the target's
   * model (an OpenAI chat body turned into Anthropic Messages for an Anthropic provider); a whole answer's
   * request to a route's target is the client's bytes with only {@code model} rewritten ({@link TopLevelField}).
   */
  private Buffer payload(boolean passThrough, boolean messages) {
    if (plainPayload != null) {
      return plainPayload;
    }
    if (passThrough) {
      return original.copy().put("model", target().model()).toBuffer();
    }
    if (messages) {
      return AnthropicProviderRequests.of(body.tree(), target().model()).toBuffer();
    }
    if (operation.multipart()) {
      return MultipartForms.withField(ctx.body().buffer(), MultipartForms.boundary(contentType), "model",
          target().model());
    }
    if (!streaming && dialect == null) {
      Buffer renamed = TopLevelField.withString(ctx.body().buffer(), "model", target().model());
      if (renamed != null) {
        return renamed;
      }
    }
    JsonObject named = body.tree().copy().put("model", target().model());
    return streaming ? OpenAiRequests.withUsageRequested(named) : named.toBuffer();
  }

  /** A route's deadline passed before the client got a byte: the attempt is abandoned and the next target tried. */
  private void cut(int mine, Upstream upstream, String what) {
    if (mine != generation || clientGone || ctx.response().headWritten()) {
      return;
    }
    generation++;
    if (relay != null) {
      relay.cancel();
      relay = null;
    }
    if (upstreamRequest != null) {
      upstreamRequest.reset();
    }
    lease.release();
    providerFailed(upstream);
    targetFailed(Trigger.DEADLINE, upstream.describe() + " " + what);
  }

  private void answered(Upstream upstream, HttpClientResponse response, InstanceLoad.Lease mine, boolean passThrough) {
    if (clientGone) {
      mine.release();
      return;
    }
    deadlines = deadlines == null ? null : headArrived(deadlines);
    int status = response.statusCode();
    if (upstream.external()) {
      if (status >= 500 || status == 429) {
        upstream.provider().failed();
      } else {
        upstream.provider().succeeded();
      }
    }
    Trigger trigger = status >= 500 ? Trigger.SERVER_ERROR : status == 429 ? Trigger.RATE_LIMITED : null;
    if (trigger != null && (status >= 500 && mayRetry() || leaves(trigger))) {
      response.body().onComplete(drained -> mine.release());
      failed(upstream, trigger, "answered HTTP " + status);
      return;
    }
    boolean translate = dialect != null && !passThrough;
    boolean fromAnthropic = toAnthropic(upstream);
    String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
    if (streaming && status == 200 && type != null && type.startsWith("text/event-stream")) {
      StreamTally tally = new StreamTally(clientWantsUsage || passThrough);
      meter.usageFrom(tally::usage);
      int attempt = generation;
      relay = new StreamRelay(ctx, response, tally, meter, mine, resolved.name(), upstream, problem -> {
        if (attempt == generation) {
          providerFailed(upstream);
          failed(upstream, Trigger.CONNECT_ERROR, problem);
        }
      }, translate ? dialect.stream().apply(resolved.name()) : null,
          fromAnthropic ? new AnthropicProviderStream(resolved.name()) : null);
      relay.start();
      return;
    }
    new WholeAnswer(ctx, meter, resolved.name(), translate ? dialect : null, fromAnthropic).relay(response, status, type, mine,
        problem -> failed(upstream, Trigger.CONNECT_ERROR, problem), () -> clientGone);
  }

  /** Whether an OpenAI chat request goes to an Anthropic provider, turned into Messages (and its answer back). */
  private boolean toAnthropic(Upstream upstream) {
    return original == null && upstream.external() && upstream.provider().anthropic();
  }

  private static AttemptDeadlines headArrived(AttemptDeadlines deadlines) {
    deadlines.headArrived();
    return deadlines;
  }

  /** Whether a failure of this kind moves the request to the next target of its route. */
  private boolean leaves(Trigger trigger) {
    return resolved.route() != null && resolved.fallbackOn().fallsBackOn(trigger)
        && (step + 1 < resolved.plan().size() || trigger == Trigger.SERVER_ERROR);
  }

  private void providerFailed(Upstream upstream) {
    if (upstream.external()) {
      upstream.provider().failed();
    }
  }

  /**
   * Holds the request of an autoscaled model that has no running replica (scaled to zero, or still
   * starting) until one runs, at most its {@code hold_timeout}; the autoscaler sees it waiting and starts
   * a replica. A full queue, or the timeout, answers 503 with Retry-After.
   */
  private void hold(AutoscaleSpec autoscale) {
    String model = target().model();
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

  /** An attempt failed before the client got a byte: another replica of the same model, the next target, or the end. */
  private void failed(Upstream upstream, Trigger trigger, String problem) {
    if (clientGone) {
      return;
    }
    String described = upstream.describe() + " " + problem;
    lastTrigger = trigger;
    if (trigger != Trigger.RATE_LIMITED && mayRetry()) {
      attempt(described);
    } else {
      targetFailed(trigger, described);
    }
  }

  private boolean mayRetry() {
    Target target = target();
    return !clientGone && !target.external() && tried.size() < UpstreamProxy.MAX_ATTEMPTS
        && proxy.hasAlternative(target.model(), tried);
  }

  private void targetFailed(Trigger trigger, String problem) {
    if (step + 1 < resolved.plan().size() && resolved.fallbackOn().fallsBackOn(trigger)) {
      attempts.failed(problem);
      step++;
      tried.clear();
      caughtUp = false;
      attempt(null);
      return;
    }
    giveUp(trigger, problem);
  }

  private void giveUp(Trigger trigger, String problem) {
    ctx.fail(attempts.exhausted(resolved, trigger, problem, tried.size()));
  }

  /** The client went away before its answer ended (end handlers may run in any order: the record is fixed first). */
  private void clientClosed() {
    clientGone = true;
    if (waiter != null && proxy.coldStarts().remove(target().model(), waiter)) {
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

  static String describe(Throwable error) {
    return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
  }
}
