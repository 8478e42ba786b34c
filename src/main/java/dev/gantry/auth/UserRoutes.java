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
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * {@code /v2/users}: admins manage users; everyone reads and edits {@code /v2/users/me}. A new password,
 * a demotion, a deactivation and "sign out" end the user's sessions (and their streams) on every node:
 * {@code sessions_valid_after} moves to now. Changing one's own password needs the current one and a
 * session; that session continues. An admin clears a user's failed sign-ins (the pause they started) with
 * {@code DELETE /v2/users/{id}/sign-in-failures}.
 */
public final class UserRoutes {

  private static final Set<String> SORTABLE = Set.of("id", "username", "full_name", "role", "active", "created_at");
  private static final List<String> SEARCHABLE = List.of("username", "full_name", "email");

  private final PgUserStore users;
  private final PgApiKeyStore keys;
  private final AccountDirectory directory;
  private final WatchHub hub;
  private final RequestValidator validator;
  private final PasswordHashing hashing;
  private final ClusterSessions sessions;
  private final LoginThrottle throttle;
  private final QuotaLedger ledger;

  public UserRoutes(PgUserStore users, PgApiKeyStore keys, AccountDirectory directory, WatchHub hub,
      RequestValidator validator, PasswordHashing hashing, ClusterSessions sessions, LoginThrottle throttle,
      QuotaLedger ledger) {
    this.ledger = ledger;
    this.hashing = hashing;
    this.throttle = throttle;
    this.sessions = sessions;
    this.users = users;
    this.keys = keys;
    this.directory = directory;
    this.hub = hub;
    this.validator = validator;
  }

  public void mount(Router router) {
    Access.MANAGEMENT.on(router.get("/v2/users/me"))
        .respond(ctx -> found(users.get(Authenticator.principal(ctx).userId()), "your user").map(this::withQuota));
    Access.MANAGEMENT.on(router.patch("/v2/users/me")).respond(ctx -> updateSelf(ctx));
    Access.MANAGEMENT.on(router.post("/v2/users/me/sign-out"))
        .handler(ctx -> noContent(ctx, signOut(Authenticator.principal(ctx).userId())));
    Access.ADMIN.on(router.post("/v2/users/:id/sign-out")).handler(ctx -> noContent(ctx, signOut(id(ctx))));
    Access.ADMIN.on(router.delete("/v2/users/:id/sign-in-failures"))
        .handler(ctx -> noContent(ctx, clearSignInFailures(ctx, id(ctx))));
    Access.ADMIN.on(router.get("/v2/users")).handler(this::list);
    Access.ADMIN.on(router.post("/v2/users")).respond(this::create);
    Access.ADMIN.on(router.get("/v2/users/:id"))
        .respond(ctx -> found(users.get(id(ctx)), "user " + ctx.pathParam("id")).map(this::withQuota));
    Access.ADMIN.on(router.patch("/v2/users/:id")).respond(this::update);
    Access.ADMIN.on(router.put("/v2/users/:id")).respond(this::update);
    Access.ADMIN.on(router.delete("/v2/users/:id")).handler(ctx -> noContent(ctx, delete(ctx)));
  }

  private static void noContent(RoutingContext ctx, Future<?> done) {
    done.onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  /** Ends every session of the user, on every node; API keys stay valid. */
  private Future<Void> signOut(long id) {
    return users.endSessions(id, now()).compose(user -> user == null
        ? Future.failedFuture(ApiException.notFound("no user with id " + id)) : directory.putUser(user));
  }

  /** Forgets the user's failed sign-ins (and so any pause they started), cluster-wide. */
  private Future<Void> clearSignInFailures(RoutingContext ctx, long id) {
    return users.get(id).compose(user -> {
      if (user == null) {
        return Future.failedFuture(ApiException.notFound("no user with id " + id));
      }
      return ctx.vertx().executeBlocking(() -> {
        throttle.clear(user.getString("username"));
        return null;
      }, false);
    });
  }

  /** The user with its {@code quota} (what its own limits allow and it used) and the {@code groups} it is in. */
  private JsonObject withQuota(JsonObject user) {
    long id = user.getLong("id");
    return user.copy().put("quota", ledger.view("u:" + id, Limits.of(user.getJsonObject("limits"))))
        .put("groups", new io.vertx.core.json.JsonArray(directory.entitlements().groupsOf(id).stream()
            .map(group -> new JsonObject().put("id", group.getLong("id")).put("name", group.getString("name"))).toList()));
  }

  private void list(RoutingContext ctx) {
    new ListEndpoint(hub, SORTABLE, SEARCHABLE).handle(ctx, users::list, item -> true);
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    JsonObject body = validator.body(ctx, "UserCreate");
    return hashing.hash(body.getString("password"))
        .compose(hash -> users.create(body, hash))
        .compose(user -> directory.putUser(user).map(user))
        .onSuccess(user -> ctx.response().setStatusCode(201));
  }

  private Future<JsonObject> update(RoutingContext ctx) {
    long id = id(ctx);
    JsonObject body = validator.body(ctx, "UserUpdate");
    Limits.parse(body.getJsonObject("limits"), "limits");
    Principal me = Authenticator.principal(ctx);
    boolean demotesSelf = id == me.userId()
        && (Boolean.FALSE.equals(body.getBoolean("active")) || "user".equals(body.getString("role")));
    Future<Void> guard = demotesSelf ? lastAdminGuard() : Future.succeededFuture();
    return guard.compose(v -> users.get(id)).compose(before -> {
      if (before == null) {
        return Future.failedFuture(ApiException.notFound("no user with id " + id));
      }
      boolean demotesOrDeactivates = Boolean.FALSE.equals(body.getBoolean("active"))
          || (Principal.ADMIN.equals(before.getString("role")) && "user".equals(body.getString("role")));
      boolean endsSessions = demotesOrDeactivates || body.containsKey("password");
      boolean keepMine = id == me.userId() && !demotesOrDeactivates;
      return apply(id, body, endsSessions ? now() : null, keepMine ? Authenticator.session(ctx) : null);
    });
  }

  /** Profile fields for anyone; a new password only from a session that also sends the current one. */
  private Future<JsonObject> updateSelf(RoutingContext ctx) {
    JsonObject body = validator.body(ctx, "UserSelfUpdate");
    Principal me = Authenticator.principal(ctx);
    String password = body.getString("password");
    String current = body.getString("current_password");
    if (password == null) {
      if (current != null) {
        return Future.failedFuture(ApiException.badRequest("'current_password' only goes together with a new "
            + "'password'; send both to change your password"));
      }
      return apply(me.userId(), body, null, null);
    }
    if (me.viaApiKey()) {
      return Future.failedFuture(ApiException.forbidden("a password can only be changed from a signed-in session, "
          + "not with an API key: sign in at POST /auth/login, then PATCH /v2/users/me with current_password"));
    }
    if (current == null) {
      return Future.failedFuture(ApiException.badRequest("send your current password as 'current_password' "
          + "together with the new 'password'"));
    }
    if (current.equals(password)) {
      return Future.failedFuture(ApiException.badRequest("the new password must differ from the current one"));
    }
    return users.credentials(me.username())
        .compose(found -> found != null && !"local".equals(found.user().getString("source"))
            ? Future.failedFuture(ApiException.badRequest("you sign in through single sign-on and have no Gantry "
                + "password; change your password at your identity provider"))
            : hashing.verify(current, found == null ? null : found.passwordHash()))
        .compose(ok -> ok ? apply(me.userId(), body, now(), Authenticator.session(ctx))
            : Future.failedFuture(ApiException.forbidden("current_password is wrong; your password was not changed")));
  }

  /**
   * Writes the changes; with {@code endSessions} every session of the user issued before it ends, except
   * {@code keep} (the caller's own session, re-issued at that instant).
   */
  private Future<JsonObject> apply(long id, JsonObject body, Instant endSessions, ClusterSessions.Session keep) {
    String password = body.getString("password");
    Future<String> hash = password == null ? Future.succeededFuture(null) : hashing.hash(password);
    return hash.compose(h -> users.update(id, body, h, endSessions))
        .compose(user -> {
          if (user == null) {
            return Future.failedFuture(ApiException.notFound("no user with id " + id));
          }
          Future<Void> kept = keep == null || endSessions == null || !user.getBoolean("active", false)
              ? Future.succeededFuture() : sessions.reissue(keep, endSessions.toEpochMilli());
          return kept.compose(v -> directory.putUser(user)).map(user);
        });
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

  /** Whole milliseconds, as sessions count time: a stored instant must not round past a session issued at it. */
  private static Instant now() {
    return Instant.ofEpochMilli(System.currentTimeMillis());
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
