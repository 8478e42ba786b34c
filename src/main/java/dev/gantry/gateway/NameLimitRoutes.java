package dev.gantry.gateway;

import dev.gantry.api.RequestValidator;
import dev.gantry.auth.Access;
import dev.gantry.cluster.SharedMap;
import dev.gantry.common.ApiException;
import dev.gantry.limits.Limits;
import dev.gantry.limits.PgNameLimitStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /v2/limits}: admins set rate limits per model or route name ({@code PUT /v2/limits/{name}}), shared
 * by every caller of that name on every node (the "global per model" limit). Kept in PostgreSQL and
 * mirrored into the cluster map the gateway reads. Quotas are not per name: they belong to keys, users and
 * groups.
 */
public final class NameLimitRoutes {

  private final PgNameLimitStore store;
  private final SharedMap map;
  private final RequestValidator validator;

  public NameLimitRoutes(PgNameLimitStore store, SharedMap map, RequestValidator validator) {
    this.store = store;
    this.map = map;
    this.validator = validator;
  }

  /** Copies every stored name limit into the cluster map (every node at start; idempotent). */
  public static Future<Void> load(PgNameLimitStore store, SharedMap map) {
    return store.list().compose(all -> Future.all(all.stream()
        .map(item -> map.set(item.getString("name"), item.encode())).toList())).mapEmpty();
  }

  /** A cluster map value as the gateway's mirror keeps it. */
  static Admission.NameLimit decode(String value) {
    JsonObject item = new JsonObject(value);
    return new Admission.NameLimit("m:" + item.getString("name"), item.getString("name"),
        Limits.of(item.getJsonObject("limits")));
  }

  public void mount(Router router) {
    Access.ADMIN.on(router.get("/v2/limits")).respond(ctx -> store.list()
        .map(items -> new JsonObject().put("items", new JsonArray(items))));
    Access.ADMIN.on(router.get("/v2/limits/:name")).respond(ctx -> map.get(ctx.pathParam("name"))
        .compose(value -> value == null ? Future.failedFuture(notFound(ctx)) : Future.succeededFuture(new JsonObject(value))));
    Access.ADMIN.on(router.put("/v2/limits/:name")).respond(this::put);
    Access.ADMIN.on(router.delete("/v2/limits/:name")).handler(ctx -> store.delete(ctx.pathParam("name"))
        .compose(deleted -> deleted ? map.remove(ctx.pathParam("name")) : Future.failedFuture(notFound(ctx)))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail));
  }

  private Future<JsonObject> put(RoutingContext ctx) {
    JsonObject body = validator.body(ctx, "NameLimits");
    JsonObject limits = body.getJsonObject("limits");
    Limits parsed = Limits.parse(limits, "limits");
    if (parsed.hasQuotas()) {
      throw ApiException.badRequest("'limits.tokens_per_day' and 'limits.tokens_per_month' are quotas of keys, users "
          + "and groups, not of a model name; set requests_per_minute, tokens_per_minute or concurrent_requests here");
    }
    if (!parsed.hasRates()) {
      throw ApiException.badRequest("'limits' sets no limit; give requests_per_minute, tokens_per_minute or "
          + "concurrent_requests (or DELETE /v2/limits/" + ctx.pathParam("name") + " to remove them)");
    }
    return store.put(ctx.pathParam("name"), limits).compose(item -> map.set(item.getString("name"), item.encode()).map(item));
  }

  private static ApiException notFound(RoutingContext ctx) {
    return ApiException.notFound("no limits are set for the name '" + ctx.pathParam("name") + "'");
  }
}
