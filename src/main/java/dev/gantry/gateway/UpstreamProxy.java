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

  UpstreamProxy(EngineClient client, InstanceDirectory directory, InstanceLoad load, RelaySignature signature,
      ModelDemand demand) {
    this.client = client;
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

  /** Proxies one validated request for an existing model; the response and the usage meter are ended by it. */
  void forward(RoutingContext ctx, UsageMeter meter, Operation operation, String model, JsonObject body) {
    demand.requested(model);
    new ProxiedRequest(this, ctx, meter, operation, model, body, null).start();
  }

  /**
   * Proxies one request of another protocol (Anthropic Messages, OpenAI Responses), already turned into the
   * OpenAI chat {@code chat}, and turns its answer back in the {@code dialect}.
   */
  void forwardChat(RoutingContext ctx, UsageMeter meter, String model, JsonObject chat, ChatDialect dialect) {
    demand.requested(model);
    new ProxiedRequest(this, ctx, meter, Operation.CHAT, model, chat, dialect).start();
  }

  /** The least loaded running instance of the model that was not tried yet, or null. */
  Upstream pick(String model, Set<String> tried) {
    return InstancePicker.pick(directory.running(model), tried, load::outstanding, ThreadLocalRandom.current());
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
  Future<HttpClientResponse> send(Upstream upstream, Operation operation, Buffer payload, String contentType,
      String requestId, Consumer<HttpClientRequest> onRequest, BooleanSupplier abandoned) {
    RequestOptions options = target(upstream, operation).setMethod(HttpMethod.POST)
        .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
        .putHeader(RequestIds.HEADER, requestId);
    return client.send(options, payload, upstream.modelName(), upstream.id(), upstream.local() ? "engine" : "node", onRequest,
        abandoned);
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
