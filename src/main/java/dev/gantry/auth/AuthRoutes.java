package dev.gantry.auth;

import dev.gantry.api.RequestValidator;
import dev.gantry.common.ApiException;
import dev.gantry.common.RetryLater;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /auth/login} (JSON only: {@link CrossSiteGuard} refuses forms and other origins, which closes
 * login CSRF) and {@code POST /auth/logout}: the console's session cookie.
 * Only local accounts sign in with a password; single sign-on users go through {@link OidcLogin}. Every
 * attempt is counted by the {@link LoginThrottle} before its password is checked.
 */
public final class AuthRoutes {

  private final Vertx vertx;
  private final PgUserStore users;
  private final LoginThrottle throttle;
  private final PasswordHashing hashing;
  private final ClientAddress addresses;
  private final RequestValidator validator;
  private final ClusterSessions sessions;
  private final OidcLogin oidc;

  /** @param oidc tells logout where to end a single sign-on session at the identity provider too */
  public AuthRoutes(Vertx vertx, PgUserStore users, LoginThrottle throttle, PasswordHashing hashing,
      ClientAddress addresses, RequestValidator validator, ClusterSessions sessions, OidcLogin oidc) {
    this.vertx = vertx;
    this.users = users;
    this.throttle = throttle;
    this.hashing = hashing;
    this.addresses = addresses;
    this.validator = validator;
    this.sessions = sessions;
    this.oidc = oidc;
  }

  public void mount(Router router) {
    Access.PUBLIC.on(router.post("/auth/login")).respond(this::login);
    Access.PUBLIC.on(router.post("/auth/logout")).handler(ctx -> sessions.find(ctx).compose(session -> {
      String endSessionUrl = session == null ? null : oidc.endSessionUrl(ctx, session.idToken());
      return sessions.end(ctx).map(v -> endSessionUrl);
    }).onSuccess(endSessionUrl -> {
      if (endSessionUrl == null) {
        ctx.response().setStatusCode(204).end();
      } else {
        ctx.json(new JsonObject().put("end_session_url", endSessionUrl));
      }
    }).onFailure(ctx::fail));
  }

  private Future<JsonObject> login(RoutingContext ctx) {
    JsonObject body = validator.body(ctx, "Login");
    String username = body.getString("username");
    String password = body.getString("password");
    String address = clientAddress(ctx);
    return vertx.executeBlocking(() -> throttle.attempt(username, address), false).compose(waitMs -> {
      if (waitMs > 0) {
        long seconds = (waitMs + 999) / 1000;
        return Future.failedFuture(RetryLater.tooManyRequests("too many failed sign-ins for this user or from this "
            + "address; try again in " + seconds + " s (the pause doubles with every further failure, up to 15 min)",
            seconds));
      }
      return users.credentials(username).compose(found -> hashing.verify(password, found == null ? null : found.passwordHash())
          .map(ok -> ok && found.user().getBoolean("active") && "local".equals(found.user().getString("source"))
              ? found.user() : null));
    }).compose(user -> {
      if (user == null) {
        return Future.failedFuture(ApiException.unauthorized("wrong user name or password"));
      }
      long issuedAt = Math.max(System.currentTimeMillis(), Authenticator.sessionsValidAfter(user));
      return vertx.executeBlocking(() -> {
        throttle.succeeded(username, address);
        return null;
      }, false).compose(v -> sessions.start(ctx, user.getLong("id"), issuedAt, null)).map(session -> user);
    });
  }

  private String clientAddress(RoutingContext ctx) {
    String peer = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    return addresses.of(peer, ctx.request().getHeader("X-Forwarded-For"));
  }
}
