package dev.gantry.route;

import dev.gantry.api.ListEndpoint;
import dev.gantry.api.RequestValidator;
import dev.gantry.api.WatchHub;
import dev.gantry.auth.Access;
import dev.gantry.cluster.LiveModels;
import dev.gantry.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code /v2/routes}: names clients call as {@code model}, with weighted targets and fallbacks. Everyone
 * signed in reads them (like models); admins write them. PostgreSQL keeps them, {@code gantry.routes}
 * mirrors them for the gateway. A route may not take a model's name (409): a model's own name stays callable.
 */
final class RouteRoutes {

  private static final Set<String> SORTABLE = Set.of("id", "name", "created_at", "updated_at");
  private static final List<String> SEARCHABLE = List.of("name", "description");

  private final PgSpecStore store;
  private final PgSpecStore providers;
  private final LiveRouting live;
  private final LiveModels models;
  private final WatchHub hub;
  private final RequestValidator validator;

  RouteRoutes(PgSpecStore store, PgSpecStore providers, LiveRouting live, LiveModels models, WatchHub hub,
      RequestValidator validator) {
    this.store = store;
    this.providers = providers;
    this.live = live;
    this.models = models;
    this.hub = hub;
    this.validator = validator;
  }

  void mount(Router router) {
    Access.MANAGEMENT.on(router.get("/v2/routes")).handler(ctx ->
        new ListEndpoint(hub, SORTABLE, SEARCHABLE).handle(ctx, store::list, item -> true));
    Access.ADMIN.on(router.post("/v2/routes")).respond(this::create);
    Access.MANAGEMENT.on(router.get("/v2/routes/:id")).respond(ctx -> find(ctx.pathParam("id")));
    Access.ADMIN.on(router.patch("/v2/routes/:id")).respond(this::update);
    Access.ADMIN.on(router.put("/v2/routes/:id")).respond(this::update);
    Access.ADMIN.on(router.delete("/v2/routes/:id")).handler(ctx -> find(ctx.pathParam("id"))
        .compose(route -> store.delete(route.getLong("id")).map(route))
        .compose(route -> live.removeRoute(route.getString("name")))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail));
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    JsonObject body = validator.body(ctx, "RouteCreate");
    String name = body.getString("name");
    return models.get(name).compose(model -> model != null
        ? Future.failedFuture(ApiException.conflict("a model is named '" + name + "'; a route needs a name of its own "
            + "(the model's name stays callable as it is)"))
        : normalized(body))
        .compose(spec -> store.create(name, spec))
        .compose(live::putRoute)
        .onSuccess(route -> ctx.response().setStatusCode(201));
  }

  private Future<JsonObject> update(RoutingContext ctx) {
    JsonObject changes = validator.body(ctx, "RouteUpdate");
    return find(ctx.pathParam("id")).compose(current -> normalized(current.copy().mergeIn(changes))
        .compose(spec -> store.update(current.getLong("id"), spec)))
        .compose(route -> route == null ? Future.failedFuture(ApiException.notFound("the route was deleted meanwhile"))
            : live.putRoute(route));
  }

  /** The route checked against the models and providers that exist now. */
  private Future<JsonObject> normalized(JsonObject body) {
    return Future.all(models.all(), providers.list()).map(both -> {
      Set<String> modelNames = both.<List<JsonObject>>resultAt(0).stream().map(m -> m.getString("name"))
          .collect(Collectors.toSet());
      Map<String, Provider> byName = both.<List<JsonObject>>resultAt(1).stream().map(Provider::from)
          .collect(Collectors.toMap(Provider::name, Function.identity()));
      return RouteSpecs.normalize(body, modelNames::contains, byName::get);
    });
  }

  /** A route by numeric id or by name. */
  private Future<JsonObject> find(String idOrName) {
    return store.list().compose(all -> all.stream()
        .filter(route -> idOrName.equals(String.valueOf(route.getLong("id"))) || idOrName.equals(route.getString("name")))
        .findFirst().map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ApiException.notFound("no route with id or name '" + idOrName + "'"))));
  }
}
