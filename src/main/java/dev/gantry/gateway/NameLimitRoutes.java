package dev.gantry.gateway;

import dev.gantry.api.RequestValidator;
import dev.gantry.auth.Access;
import dev.gantry.cluster.SharedMap;
import dev.gantry.common.ApiException;
import dev.gantry.limits.Limits;
import dev.gantry.limits.PgNameLimitStore;
import dev.gantry.limits.Prices;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /v2/limits}: admins set rate limits per model or route name ({@code PUT /v2/limits/{name}}), shared
 * by every caller of that name on every node (the "global per model" limit). Kept in PostgreSQL and
 * mirrored into the cluster map the gateway reads. Quotas are not per name: they belong to keys, users and
 * groups. A name may also have {@code prices} (per million prompt/completion tokens, in {@code --currency}):
 * what its requests cost, charged to cost budgets and written on usage records.
 */
public final class NameLimitRoutes {

  private final PgNameLimitStore store;
  private final SharedMap map;
  private final RequestValidator validator;
  private final String currency;

  public NameLimitRoutes(PgNameLimitStore store, SharedMap map, RequestValidator validator, String currency) {
    this.store = store;
    this.map = map;
    this.validator = validator;
    this.currency = currency;
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
        Limits.of(item.getJsonObject("limits")), Prices.of(item.getJsonObject("prices")));
  }

  public void mount(Router router) {
    Access.ADMIN.on(router.get("/v2/limits")).respond(ctx -> store.list()
        .map(items -> new JsonObject().put("items", new JsonArray(items)).put("currency", currency)));
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
    JsonObject prices = body.getJsonObject("prices");
    Limits parsed = Limits.parse(limits, "limits");
    Prices.parse(prices, "prices");
    if (parsed.hasQuotas()) {
      throw ApiException.badRequest("'limits.tokens_per_day', 'limits.tokens_per_month', 'limits.cost_per_day' and "
          + "'limits.cost_per_month' are quotas of keys, users and groups, not of a model name; set "
          + "requests_per_minute, tokens_per_minute or concurrent_requests here");
    }
    if (!parsed.hasRates() && prices == null) {
      throw ApiException.badRequest("'limits' sets no limit and there are no 'prices'; give requests_per_minute, "
          + "tokens_per_minute, concurrent_requests or prices (or DELETE /v2/limits/" + ctx.pathParam("name")
          + " to remove them)");
    }
    return store.put(ctx.pathParam("name"), limits == null ? new JsonObject() : limits, prices)
        .compose(item -> map.set(item.getString("name"), item.encode()).map(item));
  }

  private static ApiException notFound(RoutingContext ctx) {
    return ApiException.notFound("no limits are set for the name '" + ctx.pathParam("name") + "'");
  }
}
