package dev.gantry.gateway;

import dev.gantry.api.RequestIds;
import dev.gantry.auth.Authenticator;
import dev.gantry.auth.Principal;
import dev.gantry.common.ApiException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;

/**
 * The OpenAI-compatible data plane under {@code /v1}: {@code GET models} and the proxied
 * {@code chat/completions}, {@code completions} and {@code embeddings}. Every proxied request, however
 * it ends after authentication, leaves exactly one usage record.
 *
 * <p>Authorisation: a key without scope {@code inference} or {@code *} gets 403; a model the key's
 * allowed names leave out gets the same 404 as a model that does not exist, so a key cannot probe for
 * model names it may not use.
 */
public final class GatewayRoutes {

  private final Vertx vertx;
  private final Authenticator authenticator;
  private final Gateway gateway;

  public GatewayRoutes(Vertx vertx, Authenticator authenticator, Gateway gateway) {
    this.vertx = vertx;
    this.authenticator = authenticator;
    this.gateway = gateway;
  }

  /** Mounts the routes on one event loop's router, with that event loop's own engine client. */
  public void mount(Router router) {
    UpstreamProxy proxy = new UpstreamProxy(EngineClient.create(vertx, gateway.metrics()), gateway.directory(),
        gateway.load(), gateway.relaySignature());
    router.route("/v1/*").handler(authenticator);
    router.get("/v1/models").handler(this::models);
    for (Operation operation : Operation.values()) {
      router.post(operation.path()).handler(ctx -> serve(ctx, operation, proxy));
    }
  }

  /**
   * Mounts {@code POST /internal/engines/{instance}/v1/...}, where other nodes' gateways reach this
   * node's engines ({@link EngineRelay}). Authorization rule {@code cluster}: no user authentication,
   * the relay signature is checked by the handler.
   */
  public void mountRelay(Router router) {
    new EngineRelay(EngineClient.create(vertx, gateway.metrics()), gateway.directory(), gateway.relaySignature())
        .mount(router);
  }

  private void models(RoutingContext ctx) {
    Principal caller = Authenticator.principal(ctx);
    requireInferenceScope(caller);
    JsonArray data = new JsonArray();
    gateway.directory().models().stream()
        .filter(model -> caller.mayInfer(model.getString("name")))
        .sorted(Comparator.comparing(model -> model.getString("name")))
        .forEach(model -> data.add(new JsonObject().put("id", model.getString("name")).put("object", "model")
            .put("created", epochSeconds(model.getString("created_at"))).put("owned_by", "gantry")));
    ctx.json(new JsonObject().put("object", "list").put("data", data));
  }

  private void serve(RoutingContext ctx, Operation operation, UpstreamProxy proxy) {
    Principal caller = Authenticator.principal(ctx);
    UsageMeter meter = new UsageMeter(ctx.get(RequestIds.KEY), caller, operation, gateway.nodeName());
    ctx.addEndHandler(result -> meter.end(ctx.response().getStatusCode(), ctx.response().ended(), vertx.eventBus(),
        gateway.metrics()));
    JsonObject body = OpenAiRequests.objectOrNull(ctx.body().buffer());
    String model = body == null ? "" : OpenAiRequests.modelOf(body);
    boolean visible = gateway.directory().model(model) != null && caller.mayInfer(model);
    meter.model(model, visible);
    requireInferenceScope(caller);
    OpenAiRequests.validate(operation, body == null ? OpenAiRequests.object(ctx.body().buffer()) : body);
    if (!visible) {
      throw new ApiException(404, "model_not_found", "model '" + model
          + "' does not exist or this key may not use it; GET /v1/models lists the models you may use");
    }
    proxy.forward(ctx, meter, operation, model, body);
  }

  private static void requireInferenceScope(Principal caller) {
    if (caller.viaApiKey() && !"inference".equals(caller.scope()) && !"*".equals(caller.scope())) {
      throw new ApiException(403, "insufficient_scope", "this API key's scope is '" + caller.scope()
          + "'; the OpenAI-compatible API needs a key with scope 'inference' or '*'");
    }
  }

  private static long epochSeconds(String timestamp) {
    try {
      return timestamp == null ? 0 : Instant.parse(timestamp).getEpochSecond();
    } catch (DateTimeParseException e) {
      return 0;
    }
  }
}
