package dev.gantry.route;

import dev.gantry.api.ListEndpoint;
import dev.gantry.api.RequestValidator;
import dev.gantry.api.WatchHub;
import dev.gantry.auth.Access;
import dev.gantry.cluster.SecretBox;
import dev.gantry.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * {@code /v2/providers}: external model APIs (admins only: their URLs and headers are operator matters).
 * Credentials are accepted on writes, sealed before they are stored ({@link ProviderSpecs}), and never
 * answered: reads show their count and fingerprints. A provider some route uses cannot be deleted (409).
 */
final class ProviderRoutes {

  private static final Set<String> SORTABLE = Set.of("id", "name", "kind", "created_at", "updated_at");
  private static final List<String> SEARCHABLE = List.of("name", "kind", "base_url", "description");

  private final PgSpecStore store;
  private final PgSpecStore routes;
  private final LiveRouting live;
  private final SecretBox box;
  private final WatchHub hub;
  private final RequestValidator validator;

  ProviderRoutes(PgSpecStore store, PgSpecStore routes, LiveRouting live, SecretBox box, WatchHub hub,
      RequestValidator validator) {
    this.store = store;
    this.routes = routes;
    this.live = live;
    this.box = box;
    this.hub = hub;
    this.validator = validator;
  }

  void mount(Router router) {
    Access.ADMIN.on(router.get("/v2/providers")).handler(ctx -> new ListEndpoint(hub, SORTABLE, SEARCHABLE)
        .handle(ctx, store::list, item -> true, ProviderSpecs::publicView));
    Access.ADMIN.on(router.post("/v2/providers")).respond(this::create);
    Access.ADMIN.on(router.get("/v2/providers/:id")).respond(ctx -> find(ctx.pathParam("id")).map(ProviderSpecs::publicView));
    Access.ADMIN.on(router.patch("/v2/providers/:id")).respond(this::update);
    Access.ADMIN.on(router.put("/v2/providers/:id")).respond(this::update);
    Access.ADMIN.on(router.delete("/v2/providers/:id")).handler(ctx -> find(ctx.pathParam("id"))
        .compose(this::unused)
        .compose(provider -> store.delete(provider.getLong("id")).map(provider))
        .compose(provider -> live.removeProvider(provider.getString("name")))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail));
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    JsonObject body = validator.body(ctx, "ProviderCreate");
    JsonObject spec = ProviderSpecs.normalize(body, box);
    return store.create(body.getString("name"), spec)
        .compose(live::putProvider)
        .map(ProviderSpecs::publicView)
        .onSuccess(provider -> ctx.response().setStatusCode(201));
  }

  private Future<JsonObject> update(RoutingContext ctx) {
    JsonObject changes = validator.body(ctx, "ProviderUpdate");
    return find(ctx.pathParam("id")).compose(current -> {
      JsonObject merged = current.copy().mergeIn(changes);
      return store.update(current.getLong("id"), ProviderSpecs.normalize(merged, box));
    }).compose(provider -> provider == null
        ? Future.failedFuture(ApiException.notFound("the provider was deleted meanwhile"))
        : live.putProvider(provider).map(ProviderSpecs::publicView));
  }

  private Future<JsonObject> unused(JsonObject provider) {
    String name = provider.getString("name");
    return routes.list().compose(all -> {
      List<String> users = all.stream().filter(route -> Route.from(route).targets().stream()
              .anyMatch(t -> name.equals(t.provider())) || Route.from(route).fallbacks().stream()
              .anyMatch(t -> name.equals(t.provider())))
          .map(route -> route.getString("name")).toList();
      return users.isEmpty() ? Future.succeededFuture(provider) : Future.failedFuture(ApiException.conflict(
          "provider '" + name + "' is used by the routes " + users + "; change or delete them first"));
    });
  }

  /** A provider by numeric id or by name (stored form: credentials sealed). */
  private Future<JsonObject> find(String idOrName) {
    return store.list().compose(all -> all.stream()
        .filter(p -> idOrName.equals(String.valueOf(p.getLong("id"))) || idOrName.equals(p.getString("name")))
        .findFirst().map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ApiException.notFound("no provider with id or name '" + idOrName + "'"))));
  }
}
