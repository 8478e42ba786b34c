package dev.gantry.auth;

import dev.gantry.api.ListEndpoint;
import dev.gantry.api.RequestValidator;
import dev.gantry.api.WatchHub;
import dev.gantry.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/** {@code /v2/users}: admins manage users; everyone reads and edits {@code /v2/users/me}. */
public final class UserRoutes {

  private static final Set<String> SORTABLE = Set.of("id", "username", "full_name", "role", "active", "created_at");
  private static final List<String> SEARCHABLE = List.of("username", "full_name", "email");

  private final Vertx vertx;
  private final PgUserStore users;
  private final PgApiKeyStore keys;
  private final AccountDirectory directory;
  private final WatchHub hub;
  private final RequestValidator validator;

  public UserRoutes(Vertx vertx, PgUserStore users, PgApiKeyStore keys, AccountDirectory directory, WatchHub hub,
      RequestValidator validator) {
    this.vertx = vertx;
    this.users = users;
    this.keys = keys;
    this.directory = directory;
    this.hub = hub;
    this.validator = validator;
  }

  public void mount(Router router) {
    Access.MANAGEMENT.on(router.get("/v2/users/me"))
        .respond(ctx -> found(users.get(Authenticator.principal(ctx).userId()), "your user"));
    Access.MANAGEMENT.on(router.patch("/v2/users/me")).respond(ctx -> updateSelf(ctx));
    Access.ADMIN.on(router.get("/v2/users")).handler(this::list);
    Access.ADMIN.on(router.post("/v2/users")).respond(this::create);
    Access.ADMIN.on(router.get("/v2/users/:id")).respond(ctx -> found(users.get(id(ctx)), "user " + ctx.pathParam("id")));
    Access.ADMIN.on(router.patch("/v2/users/:id")).respond(this::update);
    Access.ADMIN.on(router.put("/v2/users/:id")).respond(this::update);
    Access.ADMIN.on(router.delete("/v2/users/:id"))
        .handler(ctx -> delete(ctx).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail));
  }

  private void list(RoutingContext ctx) {
    new ListEndpoint(hub, SORTABLE, SEARCHABLE).handle(ctx, users::list, item -> true);
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    JsonObject body = validator.body(ctx, "UserCreate");
    return vertx.executeBlocking(() -> PasswordHasher.hash(body.getString("password")), false)
        .compose(hash -> users.create(body, hash))
        .compose(user -> directory.putUser(user).map(user))
        .onSuccess(user -> ctx.response().setStatusCode(201));
  }

  private Future<JsonObject> update(RoutingContext ctx) {
    long id = id(ctx);
    JsonObject body = validator.body(ctx, "UserUpdate");
    Principal me = Authenticator.principal(ctx);
    boolean demotesSelf = id == me.userId()
        && (Boolean.FALSE.equals(body.getBoolean("active")) || "user".equals(body.getString("role")));
    Future<Void> guard = demotesSelf ? lastAdminGuard() : Future.succeededFuture();
    return guard.compose(v -> apply(id, body));
  }

  private Future<JsonObject> updateSelf(RoutingContext ctx) {
    JsonObject body = validator.body(ctx, "UserSelfUpdate");
    return apply(Authenticator.principal(ctx).userId(), body);
  }

  private Future<JsonObject> apply(long id, JsonObject body) {
    String password = body.getString("password");
    Future<String> hash = password == null ? Future.succeededFuture(null)
        : vertx.executeBlocking(() -> PasswordHasher.hash(password), false);
    return hash.compose(h -> users.update(id, body, h))
        .compose(user -> user == null ? Future.failedFuture(ApiException.notFound("no user with id " + id))
            : directory.putUser(user).map(user));
  }

  private Future<Void> delete(RoutingContext ctx) {
    long id = id(ctx);
    if (id == Authenticator.principal(ctx).userId()) {
      return Future.failedFuture(ApiException.conflict("you cannot delete your own user; ask another admin"));
    }
    return keys.idsOfUser(id).compose(keyIds -> users.delete(id).compose(deleted -> deleted
        ? directory.removeUser(id, keyIds)
        : Future.failedFuture(ApiException.notFound("no user with id " + id))));
  }

  private Future<Void> lastAdminGuard() {
    return users.countActiveAdmins().compose(count -> count <= 1
        ? Future.failedFuture(ApiException.conflict("you are the last active admin; make another admin first"))
        : Future.succeededFuture());
  }

  static Future<JsonObject> found(Future<JsonObject> lookup, String what) {
    return lookup.compose(item -> item == null ? Future.failedFuture(ApiException.notFound(what + " does not exist"))
        : Future.succeededFuture(item));
  }

  private static long id(RoutingContext ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw ApiException.notFound("no user with id '" + ctx.pathParam("id") + "'");
    }
  }
}
