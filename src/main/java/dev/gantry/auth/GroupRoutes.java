package dev.gantry.auth;

import dev.gantry.api.ListEndpoint;
import dev.gantry.api.RequestValidator;
import dev.gantry.api.WatchHub;
import dev.gantry.common.ApiException;
import dev.gantry.limits.Limits;
import dev.gantry.limits.QuotaLedger;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * {@code /v2/groups}: admins manage user groups, which model/route names their members may call
 * ({@code allowed_models}, {@code *} for all) and the limits the group shares. A change reaches the data
 * plane of every node through the cluster's groups map. A group's answer carries its {@code quota}.
 */
public final class GroupRoutes {

  private static final Set<String> SORTABLE = Set.of("id", "name", "created_at");
  private static final List<String> SEARCHABLE = List.of("name", "description");

  private final PgGroupStore groups;
  private final AccountDirectory directory;
  private final RequestValidator validator;
  private final QuotaLedger ledger;
  private final WatchHub hub = new WatchHub("groups", "id");

  public GroupRoutes(PgGroupStore groups, AccountDirectory directory, RequestValidator validator, QuotaLedger ledger) {
    this.groups = groups;
    this.directory = directory;
    this.validator = validator;
    this.ledger = ledger;
    directory.groupsMap().listen(change -> hub.emit(change.type().name(), new JsonObject(change.value())));
  }

  public void mount(Router router) {
    Access.ADMIN.on(router.get("/v2/groups")).handler(ctx -> new ListEndpoint(hub, SORTABLE, SEARCHABLE)
        .handle(ctx, groups::list, group -> true));
    Access.ADMIN.on(router.post("/v2/groups")).respond(this::create);
    Access.ADMIN.on(router.get("/v2/groups/:id")).respond(ctx -> found(groups.get(id(ctx)), ctx).map(this::withQuota));
    Access.ADMIN.on(router.patch("/v2/groups/:id")).respond(this::update);
    Access.ADMIN.on(router.delete("/v2/groups/:id")).handler(ctx -> groups.delete(id(ctx))
        .compose(deleted -> deleted ? directory.removeGroup(id(ctx)) : Future.failedFuture(notFound(ctx)))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail));
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    JsonObject body = validator.body(ctx, "GroupCreate");
    Limits.parse(body.getJsonObject("limits"), "limits");
    return groups.create(body).compose(group -> directory.putGroup(group).map(group))
        .onSuccess(group -> ctx.response().setStatusCode(201));
  }

  private Future<JsonObject> update(RoutingContext ctx) {
    JsonObject body = validator.body(ctx, "GroupUpdate");
    Limits.parse(body.getJsonObject("limits"), "limits");
    return found(groups.update(id(ctx), body), ctx).compose(group -> directory.putGroup(group).map(group))
        .map(this::withQuota);
  }

  private JsonObject withQuota(JsonObject group) {
    return group.copy().put("quota", ledger.view("g:" + group.getLong("id"), Limits.of(group.getJsonObject("limits"))));
  }

  private static Future<JsonObject> found(Future<JsonObject> lookup, RoutingContext ctx) {
    return lookup.compose(group -> group == null ? Future.failedFuture(notFound(ctx)) : Future.succeededFuture(group));
  }

  private static ApiException notFound(RoutingContext ctx) {
    return ApiException.notFound("no group with id '" + ctx.pathParam("id") + "'; GET /v2/groups lists them");
  }

  private static long id(RoutingContext ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw notFound(ctx);
    }
  }
}
