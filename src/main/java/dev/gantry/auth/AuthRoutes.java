package dev.gantry.auth;

import dev.gantry.api.RequestValidator;
import dev.gantry.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SessionHandler;

/**
 * {@code POST /auth/login} (JSON only: {@link CrossSiteGuard} refuses forms and other origins, which closes
 * login CSRF) and {@code POST /auth/logout}: the console's session cookie.
 * Only local accounts sign in with a password; single sign-on users go through {@link OidcLogin}.
 */
public final class AuthRoutes {

  private final Vertx vertx;
  private final PgUserStore users;
  private final LoginThrottle throttle;
  private final RequestValidator validator;
  private final SessionHandler sessions;
  private final OidcLogin oidc;

  /**
   * @param sessions stores a session before login and logout answer, so every node sees the change at once
   * @param oidc tells logout where to end a single sign-on session at the identity provider too
   */
  public AuthRoutes(Vertx vertx, PgUserStore users, LoginThrottle throttle, RequestValidator validator,
      SessionHandler sessions, OidcLogin oidc) {
    this.vertx = vertx;
    this.users = users;
    this.throttle = throttle;
    this.validator = validator;
    this.sessions = sessions;
    this.oidc = oidc;
  }

  public void mount(Router router) {
    Access.PUBLIC.on(router.post("/auth/login")).respond(this::login);
    Access.PUBLIC.on(router.post("/auth/logout")).handler(ctx -> {
      String endSessionUrl = oidc.endSessionUrl(ctx);
      if (ctx.session() != null) {
        ctx.session().destroy();
      }
      sessions.flush(ctx).onSuccess(v -> {
        if (endSessionUrl == null) {
          ctx.response().setStatusCode(204).end();
        } else {
          ctx.json(new JsonObject().put("end_session_url", endSessionUrl));
        }
      }).onFailure(ctx::fail);
    });
  }

  private Future<JsonObject> login(RoutingContext ctx) {
    JsonObject body = validator.body(ctx, "Login");
    String username = body.getString("username");
    String password = body.getString("password");
    String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    return vertx.executeBlocking(() -> throttle.allows(username, address), false).compose(allowed -> {
      if (!allowed) {
        ctx.response().putHeader("Retry-After", String.valueOf(LoginThrottle.WINDOW.toSeconds()));
        return Future.failedFuture(ApiException.tooManyRequests(
            "too many failed sign-ins; wait " + LoginThrottle.WINDOW.toMinutes() + " minutes and try again"));
      }
      return users.credentials(username).compose(found -> vertx.executeBlocking(() -> {
        boolean ok = PasswordHasher.verify(password, found == null ? null : found.passwordHash())
            && found.user().getBoolean("active") && "local".equals(found.user().getString("source"));
        if (ok) {
          throttle.succeeded(username);
        } else {
          throttle.failed(username, address);
        }
        return ok ? found.user() : null;
      }, false));
    }).compose(user -> {
      if (user == null) {
        return Future.failedFuture(ApiException.unauthorized("wrong user name or password"));
      }
      if (ctx.session() == null) {
        return Future.failedFuture(new IllegalStateException("session handler missing on /auth"));
      }
      ctx.session().regenerateId();
      ctx.session().put(Authenticator.SESSION_USER, user.getLong("id"));
      return sessions.flush(ctx).map(user);
    });
  }
}
