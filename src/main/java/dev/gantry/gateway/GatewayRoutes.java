package dev.gantry.gateway;

import dev.gantry.api.RequestIds;
import dev.gantry.auth.Access;
import dev.gantry.auth.Authenticator;
import dev.gantry.auth.Principal;
import dev.gantry.common.ApiException;
import dev.gantry.route.Route;
import dev.gantry.route.Target;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The OpenAI-compatible data plane under {@code /v1}: {@code GET models} and {@code models/{id}}, the
 * proxied {@code chat/completions}, {@code completions} and {@code embeddings}, the pass-through
 * {@code rerank}, {@code audio/*} and {@code images/*} (for models whose categories declare them), and
 * Anthropic's {@code messages} and OpenAI's {@code responses}, each turned into a chat request and its
 * answer turned back ({@link AnthropicRequests}, {@link ResponsesRequests}). Every proxied request, however
 * it ends after authentication, leaves exactly one usage record.
 *
 * <p>Authorisation: a key without scope {@code inference} or {@code *} gets 403 from the routes' rule
 * ({@code Access.INFERENCE}), before a usage record starts; a model the key's
 * allowed names leave out gets the same 404 as a model that does not exist, so a key cannot probe for
 * model names it may not use. An existing name the caller may call then passes {@link Admission} (quotas,
 * rate limits) before it is forwarded.
 */
public final class GatewayRoutes {

  private static final String MODEL_PREFIX = "/v1/models/";

  /** Anthropic's Messages API; its usage records name the operation {@code messages}. */
  public static final String MESSAGES = "/v1/messages";
  /** OpenAI's Responses API, served over chat completions; its usage records name the operation {@code responses}. */
  public static final String RESPONSES = "/v1/responses";

  private final Vertx vertx;
  private final Gateway gateway;

  public GatewayRoutes(Vertx vertx, Gateway gateway) {
    this.vertx = vertx;
    this.gateway = gateway;
  }

  /**
   * Mounts the routes on one event loop's router, with that event loop's own engine client: the
   * OpenAI-compatible {@code /v1} routes, and {@code POST /internal/engines/{instance}/v1/...}, where other
   * nodes' gateways reach this node's engines ({@link EngineRelay}; rule {@code CLUSTER}, and the relay
   * signature checked by the handler).
   */
  public void mount(Router router) {
    EngineClient client = EngineClient.create(vertx, gateway.metrics());
    UpstreamProxy proxy = new UpstreamProxy(client, gateway.directory(), gateway.load(), gateway.relaySignature(),
        gateway.demand(), gateway.routing());
    Access.INFERENCE.on(router.get("/v1/models")).handler(this::models);
    Access.INFERENCE.on(router.get(MODEL_PREFIX + "*")).handler(this::model);
    for (Operation operation : Operation.values()) {
      Access.INFERENCE.on(router.post(operation.path())).handler(ctx -> serve(ctx, operation, proxy));
    }
    Access.INFERENCE.on(router.post(MESSAGES)).handler(ctx -> converted(ctx, proxy, "messages", MESSAGES,
        AnthropicRequests::toChat, chat -> ChatDialect.ANTHROPIC));
    Access.INFERENCE.on(router.post(RESPONSES)).handler(ctx -> converted(ctx, proxy, "responses", RESPONSES,
        ResponsesRequests::toChat, ResponsesAnswers::dialect));
    new EngineRelay(client, gateway.directory(), gateway.load(), gateway.relaySignature()).mount(router);
  }

  private void models(RoutingContext ctx) {
    Principal caller = Authenticator.principal(ctx);
    JsonArray data = new JsonArray();
    gateway.directory().models().stream()
        .filter(model -> caller.mayInfer(model.getString("name")))
        .sorted(Comparator.comparing(model -> model.getString("name")))
        .forEach(model -> data.add(describe(model)));
    gateway.routing().routes().stream().map(Route::name)
        .filter(name -> gateway.directory().model(name) == null && caller.mayInfer(name)).sorted()
        .forEach(name -> data.add(describe(name, "gantry")));
    gateway.routing().providerModelNames().stream().filter(caller::mayInfer).sorted()
        .forEach(name -> data.add(describe(name, name.substring(0, name.indexOf('/')))));
    ctx.json(new JsonObject().put("object", "list").put("data", data));
  }

  /**
   * {@code GET /v1/models/{id}}: the id is the rest of the path, so that a provider's model
   * ({@code <provider>/<model>}) is found as SDKs send it, with its slash as it is or escaped ({@code %2F}).
   */
  private void model(RoutingContext ctx) {
    String rest = ctx.pathParam("*");
    String name = rest == null ? "" : rest.replace("%2F", "/").replace("%2f", "/");
    Principal caller = Authenticator.principal(ctx);
    JsonObject described = caller.mayInfer(name) ? description(name) : null;
    if (described != null) {
      ctx.json(described);
    } else {
      afterCatchUp(ctx, caller, name, found -> {
        JsonObject caughtUp = description(name);
        if (caughtUp == null) {
          throw notFound(name);
        }
        ctx.json(caughtUp);
      });
    }
  }

  /** How OpenAI describes the name: a Gantry model, a route or a provider's model; null when nothing has it. */
  private JsonObject description(String name) {
    JsonObject model = gateway.directory().model(name);
    if (model != null) {
      return describe(model);
    }
    if (gateway.routing().route(name) != null) {
      return describe(name, "gantry");
    }
    Target target = gateway.routing().providerModel(name);
    return target == null ? null : describe(name, target.provider());
  }

  private static JsonObject describe(JsonObject model) {
    return new JsonObject().put("id", model.getString("name")).put("object", "model")
        .put("created", epochSeconds(model.getString("created_at"))).put("owned_by", "gantry");
  }

  /** A route or a provider's model ({@code <provider>/<model>}) as OpenAI lists models. */
  private static JsonObject describe(String name, String owner) {
    return new JsonObject().put("id", name).put("object", "model").put("created", 0).put("owned_by", owner);
  }

  /** What the name stands for, when the caller may use it; null answers the same 404 as a name nothing has. */
  private Resolved resolve(Principal caller, String name) {
    return caller.mayInfer(name) ? Resolved.of(name, gateway.directory(), gateway.routing()) : null;
  }

  /**
   * For a name this node's mirrors do not know: each node hears a change on its own schedule, so a model,
   * route or provider created through another node a moment ago may not be here yet. The cluster maps are
   * read (a few map reads, only on this path) and {@code then} runs with what the name resolves to; still
   * nothing (or a name the caller may not use) is the 404. The fast path never comes here.
   */
  private void afterCatchUp(RoutingContext ctx, Principal caller, String name, Consumer<Resolved> then) {
    if (name == null || name.isEmpty() || !caller.mayInfer(name)) {
      throw notFound(name);
    }
    Future.join(gateway.directory().fillModel(name), gateway.routing().fill(name)).onComplete(read -> {
      try {
        Resolved found = resolve(caller, name);
        if (found == null) {
          throw notFound(name);
        }
        then.accept(found);
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    });
  }

  private static ApiException notFound(String model) {
    return new ApiException(404, "model_not_found", "model '" + model
        + "' does not exist or this key may not use it; GET /v1/models lists the models you may use", "model");
  }

  /**
   * A request of another protocol (Anthropic Messages, OpenAI Responses): validated and turned into a chat
   * request ({@code toChat}) before a replica is picked; the answer is turned back by the {@code dialect}
   * made for the request.
   */
  private void converted(RoutingContext ctx, UpstreamProxy proxy, String operation, String path,
      Function<JsonObject, JsonObject> toChat, Function<JsonObject, ChatDialect> dialect) {
    Principal caller = Authenticator.principal(ctx);
    UsageMeter meter = meter(ctx, caller, operation);
    JsonObject body = OpenAiRequests.objectOrNull(ctx.body().buffer());
    String model = body == null ? "" : OpenAiRequests.modelOf(body);
    Resolved resolved = resolve(caller, model);
    meter.model(model, resolved != null);
    JsonObject request = body == null ? OpenAiRequests.object(ctx.body().buffer()) : body;
    JsonObject chat = toChat.apply(request);
    if (resolved == null) {
      afterCatchUp(ctx, caller, model, found -> {
        meter.model(model, true);
        forwardConverted(ctx, proxy, caller, meter, found, path, chat, dialect.apply(request), request);
      });
      return;
    }
    forwardConverted(ctx, proxy, caller, meter, resolved, path, chat, dialect.apply(request), request);
  }

  private void forwardConverted(RoutingContext ctx, UpstreamProxy proxy, Principal caller, UsageMeter meter,
      Resolved resolved, String path, JsonObject chat, ChatDialect dialect, JsonObject request) {
    String model = resolved.name();
    String unsupported = resolved.plainModel()
        ? OpenAiRequests.unsupported(Operation.CHAT, model, gateway.directory().model(model))
        : MESSAGES.equals(path) ? null : ProviderRefusals.unsupported(Operation.CHAT, resolved, gateway.routing());
    if (unsupported != null) {
      throw new ApiException(400, "unsupported_endpoint", unsupported.replace(Operation.CHAT.path(), path), "model");
    }
    meter.admitted(gateway.admission().admit(caller, model, ctx.response()));
    proxy.forwardChat(ctx, meter, resolved, chat, dialect, request);
  }

  private void serve(RoutingContext ctx, Operation operation, UpstreamProxy proxy) {
    Principal caller = Authenticator.principal(ctx);
    UsageMeter meter = meter(ctx, caller, operation.meterName());
    RequestFacts facts = RequestFacts.scan(operation, ctx.body().buffer());
    JsonObject tree = facts != null || operation.multipart() ? null : OpenAiRequests.objectOrNull(ctx.body().buffer());
    String model = facts != null ? facts.model() : operation.multipart() ? PassThroughForms.model(ctx)
        : tree == null ? "" : OpenAiRequests.modelOf(tree);
    Resolved resolved = resolve(caller, model);
    meter.model(model, resolved != null);
    if (operation.multipart()) {
      PassThroughForms.validate(ctx, operation);
    } else if (facts == null) {
      OpenAiRequests.validate(operation, tree == null ? OpenAiRequests.object(ctx.body().buffer()) : tree);
    }
    ClientBody body = facts != null ? ClientBody.scanned(ctx.body().buffer(), facts) : tree == null ? null : ClientBody.of(tree);
    if (resolved == null) {
      afterCatchUp(ctx, caller, model, found -> {
        meter.model(model, true);
        forward(ctx, proxy, caller, meter, operation, found, body);
      });
      return;
    }
    forward(ctx, proxy, caller, meter, operation, resolved, body);
  }

  private void forward(RoutingContext ctx, UpstreamProxy proxy, Principal caller, UsageMeter meter,
      Operation operation, Resolved resolved, ClientBody body) {
    String model = resolved.name();
    String unsupported = resolved.plainModel()
        ? OpenAiRequests.unsupported(operation, model, gateway.directory().model(model))
        : ProviderRefusals.unsupported(operation, resolved, gateway.routing());
    if (unsupported != null) {
      throw new ApiException(400, "unsupported_endpoint", unsupported, "model");
    }
    meter.admitted(gateway.admission().admit(caller, model, ctx.response()));
    proxy.forward(ctx, meter, operation, resolved, body);
  }

  /**
   * The request's usage meter. A whole answer is recorded as its head is written (head and body leave in
   * one write, after it), an event stream by {@link StreamRelay} before its last event, and a request that
   * ends otherwise (the client left) when it ends.
   */
  private UsageMeter meter(RoutingContext ctx, Principal caller, String operation) {
    UsageMeter meter = new UsageMeter(ctx.get(RequestIds.KEY), caller, operation, gateway.nodeName(), gateway.usage(),
        gateway.metrics());
    ctx.addHeadersEndHandler(v -> {
      String type = ctx.response().headers().get(HttpHeaders.CONTENT_TYPE);
      if (type == null || !type.startsWith("text/event-stream")) {
        meter.complete(ctx.response().getStatusCode());
      }
    });
    ctx.addEndHandler(result -> meter.end(ctx.response().getStatusCode(), ctx.response().ended()));
    return meter;
  }

  private static long epochSeconds(String timestamp) {
    try {
      return timestamp == null ? 0 : Instant.parse(timestamp).getEpochSecond();
    } catch (DateTimeParseException e) {
      return 0;
    }
  }
}
