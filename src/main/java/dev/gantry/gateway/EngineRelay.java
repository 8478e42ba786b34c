package dev.gantry.gateway;

import dev.gantry.api.GatewayPaths;
import dev.gantry.api.RequestIds;
import dev.gantry.auth.Access;
import dev.gantry.common.ApiException;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The owning node's half of a cross-node request: {@code POST /internal/engines/{instance}/v1/...}
 * from another node's gateway, under the {@code CLUSTER} access rule and authenticated again by
 * {@link RelaySignature}, which also binds the instance id (no user authentication; the
 * calling gateway did that and meters the request), for an instance running on this node. The body
 * goes to the engine on loopback with the engine key, unread; the answer comes back byte for byte,
 * the engine paused while the caller's write queue is full; a pooled engine connection found closed
 * before the answer is retried on a fresh one ({@link EngineClient}). A caller that goes away resets the engine
 * request; an engine that breaks off mid-answer breaks the caller's connection too, so the calling
 * gateway sees the same failure it would see from a local engine.
 */
final class EngineRelay {

  private static final String PREFIX = GatewayPaths.RELAY_PREFIX;

  private final EngineClient client;
  private final InstanceDirectory directory;
  private final InstanceLoad load;
  private final RelaySignature signature;

  EngineRelay(EngineClient client, InstanceDirectory directory, InstanceLoad load, RelaySignature signature) {
    this.client = client;
    this.directory = directory;
    this.load = load;
    this.signature = signature;
  }

  /** The relay path of one operation on one instance. */
  static String path(String instanceId, Operation operation) {
    return PREFIX + instanceId + operation.path();
  }

  void mount(Router router) {
    for (Operation operation : Operation.values()) {
      Access.CLUSTER.on(router.post(PREFIX + ":instance" + operation.path())).handler(ctx -> relay(ctx, operation));
    }
  }

  private void relay(RoutingContext ctx, Operation operation) {
    String id = ctx.pathParam("instance");
    String problem = signature.problem(HttpMethod.POST.name(), ctx.request().path(), id,
        ctx.request().getHeader(RelaySignature.TIMESTAMP), ctx.request().getHeader(RelaySignature.SIGNATURE),
        System.currentTimeMillis());
    if (problem != null) {
      ctx.fail(ApiException.unauthorized(problem));
      return;
    }
    Upstream engine = directory.own(id);
    if (engine != null) {
      relay(ctx, operation, engine);
      return;
    }
    directory.ownFromCluster(id).onComplete(found -> {
      if (found.succeeded() && found.result() != null) {
        relay(ctx, operation, found.result());
      } else if (!ctx.response().closed()) {
        ctx.fail(new ApiException(503, "instance_unavailable", "instance " + id + " is not running on this node"));
      }
    });
  }

  private void relay(RoutingContext ctx, Operation operation, Upstream engine) {
    String id = engine.id();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(Upstream.LOOPBACK)
        .setPort(engine.port()).setURI(operation.path())
        .putHeader(HttpHeaders.AUTHORIZATION, engine.authorization())
        .putHeader(HttpHeaders.CONTENT_TYPE, operation.multipart() && ctx.request().getHeader(HttpHeaders.CONTENT_TYPE) != null
            ? ctx.request().getHeader(HttpHeaders.CONTENT_TYPE) : "application/json")
        .putHeader(RequestIds.HEADER, ctx.<String>get(RequestIds.KEY));
    HttpServerResponse caller = ctx.response();
    HttpClientRequest[] current = new HttpClientRequest[1];
    InstanceLoad.Lease lease = load.acquireRelayed(id);
    ctx.addEndHandler(result -> {
      lease.release();
      if (!caller.ended() && current[0] != null) {
        current[0].reset();
      }
    });
    client.send(options, ctx.body().buffer(), engine.modelName(), id, "engine", request -> current[0] = request,
        caller::closed).onSuccess(response -> answer(caller, response))
        .onFailure(error -> {
          if (!caller.closed()) {
            ctx.fail(new ApiException(502, "upstream_error", "the engine of instance " + engine.name()
                + " cannot be reached (" + ProxiedRequest.describe(error) + ")"));
          }
        });
  }

  private static void answer(HttpServerResponse caller, HttpClientResponse response) {
    if (caller.closed()) {
      response.request().reset();
      return;
    }
    caller.setStatusCode(response.statusCode());
    String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type != null) {
      caller.putHeader(HttpHeaders.CONTENT_TYPE, type);
    }
    String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      caller.putHeader(HttpHeaders.CONTENT_LENGTH, length);
    } else {
      caller.setChunked(true);
    }
    response.pipe().endOnFailure(false).to(caller).onFailure(error -> caller.reset());
  }
}
