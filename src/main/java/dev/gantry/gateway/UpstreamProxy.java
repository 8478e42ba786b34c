package dev.gantry.gateway;

import dev.gantry.common.AutoscaleSpec;
import dev.gantry.api.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import dev.gantry.route.Routing;
import dev.gantry.route.Target;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Forwards gateway requests to engines over one {@link EngineClient} per event loop (so an engine
 * connection never hops threads): this node's engines on loopback with their engine key, other nodes'
 * engines through the owning node's relay route ({@link EngineRelay}), signed with the cluster secret.
 * A stale pooled connection is retried by the client; the retry on other instances and relaying live in
 * {@link ProxiedRequest} and {@link StreamRelay}.
 */
final class UpstreamProxy {

  /** One attempt plus at most two retries on other instances, each before the client got a byte. */
  static final int MAX_ATTEMPTS = 3;

  private final EngineClient client;
  private final InstanceDirectory directory;
  private final InstanceLoad load;
  private final RelaySignature signature;
  private final ModelDemand demand;
  private final Routing routing;

  UpstreamProxy(EngineClient client, InstanceDirectory directory, InstanceLoad load, RelaySignature signature,
      ModelDemand demand, Routing routing) {
    this.client = client;
    this.routing = routing;
    this.directory = directory;
    this.load = load;
    this.signature = signature;
    this.demand = demand;
  }

  /** The model's autoscale block when a request that finds no replica should wait for one; null otherwise. */
  AutoscaleSpec holdsFor(String model) {
    return AutoscaleSpec.of(directory.model(model));
  }

  ColdStarts coldStarts() {
    return directory.coldStarts();
  }

  ModelDemand demand() {
    return demand;
  }

  /** Proxies one validated request along its plan; the response and the usage meter are ended by it. */
  void forward(RoutingContext ctx, UsageMeter meter, Operation operation, Resolved resolved, ClientBody body) {
    requested(resolved);
    new ProxiedRequest(this, ctx, meter, operation, resolved, body, null, null).start();
  }

  /**
   * Proxies one request of another protocol (Anthropic Messages, OpenAI Responses), already turned into the
   * OpenAI chat {@code chat}, and turns its answer back in the {@code dialect}; an Anthropic provider gets an
   * Anthropic Messages request's {@code original} body as it came.
   */
  void forwardChat(RoutingContext ctx, UsageMeter meter, Resolved resolved, JsonObject chat, ChatDialect dialect,
      JsonObject original) {
    requested(resolved);
    new ProxiedRequest(this, ctx, meter, Operation.CHAT, resolved, ClientBody.of(chat), dialect,
        dialect == ChatDialect.ANTHROPIC ? original : null).start();
  }

  private void requested(Resolved resolved) {
    for (Target target : resolved.plan()) {
      if (!target.external()) {
        demand.requested(target.model());
        return;
      }
    }
  }

  /** The next usable credential of a provider target, as an upstream; null when none is usable (or the provider is gone). */
  Upstream provider(Target target) {
    ProviderCall call = ProviderCall.next(routing.provider(target.provider()), target, routing.ring(target.provider()));
    return call == null ? null : Upstream.of(call);
  }

  Routing routing() {
    return routing;
  }

  /** The least loaded running instance of the model that was not tried yet, or null. */
  Upstream pick(String model, Set<String> tried) {
    long now = System.currentTimeMillis();
    return InstancePicker.pick(directory.running(model), tried, id -> load.pickLoad(id, now),
        id -> load.kvUsage(id, now), ThreadLocalRandom.current());
  }

  /** {@link InstanceDirectory#catchUp}: a replica that another node has just seen turn running, before this node heard. */
  Future<Boolean> catchUp(String model) {
    return directory.catchUp(model);
  }

  boolean hasAlternative(String model, Set<String> tried) {
    List<Upstream> running = directory.running(model);
    return running.stream().anyMatch(upstream -> !tried.contains(upstream.id()));
  }

  String unavailable(String model) {
    return directory.unavailable(model);
  }

  InstanceLoad load() {
    return load;
  }

  /**
   * Sends the request to the engine; {@code onRequest} gets each request first, so that it can be reset,
   * and {@code abandoned} says the client went away (no second try on a fresh connection then).
   */
  Future<HttpClientResponse> send(Upstream upstream, Operation operation, boolean messages, Buffer payload,
      String contentType, String requestId, Consumer<HttpClientRequest> onRequest, BooleanSupplier abandoned) {
    RequestOptions options = (upstream.external() ? upstream.provider().options(operation, messages)
        : target(upstream, operation)).setMethod(HttpMethod.POST)
        .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
        .putHeader(RequestIds.HEADER_NAME, requestId);
    String kind = upstream.external() ? "provider" : upstream.local() ? "engine" : "node";
    return client.send(options, payload, upstream.modelName(), upstream.id(), kind, onRequest, abandoned);
  }

  /** This node's engine on loopback with its key; another node's through its relay route, signed. */
  private RequestOptions target(Upstream upstream, Operation operation) {
    if (upstream.local()) {
      return new RequestOptions().setHost(Upstream.LOOPBACK).setPort(upstream.port()).setURI(operation.path())
          .putHeader(HttpHeaders.AUTHORIZATION, upstream.authorization());
    }
    String path = EngineRelay.path(upstream.id(), operation);
    RequestOptions options = new RequestOptions().setHost(upstream.address()).setPort(upstream.nodePort())
        .setURI(path);
    return signature.sign(options, HttpMethod.POST.name(), path, upstream.id(), System.currentTimeMillis());
  }
}
