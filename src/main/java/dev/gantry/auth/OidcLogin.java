package dev.gantry.auth;

import dev.gantry.auth.PendingLogins.Pending;
import dev.gantry.cluster.SharedMap;
import dev.gantry.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2AuthorizationURL;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.Oauth2Credentials;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single sign-on with OpenID Connect: authorization code flow with PKCE (S256), state and nonce.
 * {@code GET /auth/oidc/login?redirect=/path} sends the browser to the provider; the provider sends it
 * back to {@code /auth/oidc/callback}, which creates or refreshes the user, starts the same session as a
 * local sign-in and redirects to the (relative) path. {@code GET /auth/config} tells the console which
 * sign-ins this node offers.
 *
 * <p>The started sign-in is kept in a cluster map, bound to the browser by a {@code SameSite=Lax} cookie
 * holding its state: the session cookie is {@code SameSite=Strict} and so is not sent when the provider
 * redirects back from another site. Failures end at {@code /#/login?error=<message>}.
 */
public final class OidcLogin {

  static final String LOGIN_PATH = "/auth/oidc/login";
  static final String CALLBACK_PATH = "/auth/oidc/callback";
  static final String BINDING_COOKIE = "gantry_oidc";
  private static final Logger LOG = LoggerFactory.getLogger(OidcLogin.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final OidcProvider provider;
  private final PendingLogins pending;
  private final PgUserStore users;
  private final AccountDirectory directory;
  private final ClusterSessions sessions;

  /** @param sessions stores the session before the callback answers, so every node knows it at once */
  public OidcLogin(Vertx vertx, SharedMap pendingLogins, OidcProvider provider, PgUserStore users,
      AccountDirectory directory, ClusterSessions sessions) {
    this.provider = provider;
    this.pending = new PendingLogins(pendingLogins);
    this.users = users;
    this.directory = directory;
    this.sessions = sessions;
  }

  public void mount(Router router) {
    Access.PUBLIC.on(router.get("/auth/config")).handler(ctx -> ctx.json(new JsonObject().put("local", true).put("oidc", new JsonObject()
        .put("enabled", provider.enabled()).put("available", provider.available()).put("login_url", LOGIN_PATH))));
    Access.PUBLIC.on(router.get(LOGIN_PATH)).handler(this::start);
    Access.PUBLIC.on(router.get(CALLBACK_PATH)).handler(this::callback);
  }

  /** The provider's end-session URL for a session about to end, when single sign-on started it (an ID token). */
  public String endSessionUrl(RoutingContext ctx, String idToken) {
    if (idToken == null) {
      return null;
    }
    try {
      return provider.endSessionUrl(idToken, externalUrl(ctx) + "/");
    } catch (ApiException e) {
      return null;
    }
  }

  private void start(RoutingContext ctx) {
    if (!provider.enabled()) {
      startFailed(ctx, ApiException.notFound("single sign-on is not configured on this node; start it with "
          + "--oidc-issuer and --oidc-client-id (or GANTRY_OIDC_ISSUER and GANTRY_OIDC_CLIENT_ID)"));
      return;
    }
    provider.ready().compose(auth -> {
      String state = random(32);
      String verifier = random(48);
      String callbackUrl = externalUrl(ctx) + CALLBACK_PATH;
      Pending started = new Pending(verifier, random(32), callbackUrl, localPath(ctx.request().getParam("redirect")));
      String url = auth.authorizeURL(new OAuth2AuthorizationURL().setRedirectUri(callbackUrl).setState(state)
          .setScopes(provider.config().scopes()).setCodeChallenge(challenge(verifier)).setCodeChallengeMethod("S256")
          .putAdditionalParameter("nonce", started.nonce()));
      return pending.put(state, started).map(v -> {
        ctx.response().addCookie(bindingCookie(state, callbackUrl.startsWith("https:"), PendingLogins.LIFETIME.toSeconds()));
        return url;
      });
    }).onSuccess(url -> redirect(ctx, url)).onFailure(e -> startFailed(ctx, e));
  }

  private void callback(RoutingContext ctx) {
    String state = ctx.request().getParam("state");
    Cookie binding = ctx.request().getCookie(BINDING_COOKIE);
    Future<Pending> started = state == null ? Future.succeededFuture() : pending.take(state);
    started.compose(found -> {
      if (found == null || binding == null || !state.equals(binding.getValue())) {
        return refused("this sign-in link is invalid, has expired or was already used; start the sign-in again");
      }
      String error = ctx.request().getParam("error");
      if (error != null) {
        String description = ctx.request().getParam("error_description");
        return refused("the identity provider did not sign you in: " + error + (description == null ? "" : " (" + description + ")"));
      }
      String code = ctx.request().getParam("code");
      if (code == null) {
        return refused("the identity provider sent no authorization code; start the sign-in again");
      }
      return provider.ready().compose(auth -> exchange(auth, code, found)).compose(user -> signIn(ctx, user, found));
    }).onComplete(done -> {
      ctx.response().addCookie(bindingCookie("", false, 0));
      if (done.succeeded()) {
        redirect(ctx, done.result());
      } else {
        redirect(ctx, loginPageWith(message(done.cause())));
      }
    });
  }

  private Future<User> exchange(OAuth2Auth auth, String code, Pending found) {
    return auth.authenticate(new Oauth2Credentials().setFlow(OAuth2FlowType.AUTH_CODE).setCode(code)
            .setRedirectUri(found.callbackUrl()).setCodeVerifier(found.verifier()))
        .recover(e -> refused("the identity provider did not confirm the sign-in (" + e.getMessage()
            + "); start the sign-in again"));
  }

  private Future<String> signIn(RoutingContext ctx, User user, Pending found) {
    JsonObject idToken = user.attributes().getJsonObject("idToken");
    if (idToken == null) {
      return refused("the identity provider sent no ID token; make sure --oidc-scopes includes 'openid'");
    }
    if (!found.nonce().equals(idToken.getString("nonce"))) {
      return refused("the ID token does not belong to this sign-in (nonce mismatch); start the sign-in again");
    }
    OidcIdentity identity = OidcIdentity.from(idToken, user.attributes().getJsonObject("accessToken"),
        provider.config().adminGroup());
    return users.upsertOidc(provider.config().issuer(), identity)
        .compose(account -> directory.putUser(account).map(account))
        .compose(account -> {
          if (!account.getBoolean("active", false)) {
            return refused("your Gantry account '" + account.getString("username")
                + "' is deactivated; ask an administrator to reactivate it");
          }
          LOG.info("signed in through single sign-on [user: {}] [role: {}]", account.getString("username"),
              account.getString("role"));
          long issuedAt = Math.max(System.currentTimeMillis(), Authenticator.sessionsValidAfter(account));
          return sessions.start(ctx, account.getLong("id"), issuedAt, user.principal().getString("id_token"))
              .map(found.returnTo());
        });
  }

  /** A browser is sent back to the login page with the message; an API client gets the error as JSON. */
  private static void startFailed(RoutingContext ctx, Throwable failure) {
    String accept = ctx.request().getHeader("Accept");
    if (accept != null && accept.contains("text/html")) {
      redirect(ctx, loginPageWith(message(failure)));
    } else {
      ctx.fail(failure);
    }
  }

  /** Only a path on this site: anything else (another host, a scheme, {@code //host}, backslashes) becomes {@code /}. */
  static String localPath(String requested) {
    boolean local = requested != null && requested.startsWith("/") && !requested.startsWith("//")
        && requested.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == '\\');
    return local ? requested : "/";
  }

  static String loginPageWith(String message) {
    return "/#/login?error=" + URLEncoder.encode(message, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private String externalUrl(RoutingContext ctx) {
    return ExternalUrl.of(provider.config().externalUrl(), ctx.request().isSSL(), ctx.request().headers());
  }

  private static Cookie bindingCookie(String state, boolean secure, long maxAgeSeconds) {
    return Cookie.cookie(BINDING_COOKIE, state).setPath("/auth/oidc").setHttpOnly(true).setSecure(secure)
        .setSameSite(CookieSameSite.LAX).setMaxAge(maxAgeSeconds);
  }

  private static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(302).putHeader("Location", location).putHeader("Cache-Control", "no-store").end();
  }

  private static <T> Future<T> refused(String message) {
    return Future.failedFuture(ApiException.unauthorized(message));
  }

  private static String message(Throwable failure) {
    if (failure instanceof ApiException api) {
      return api.getMessage();
    }
    LOG.warn("single sign-on failed [error: {}]", String.valueOf(failure));
    return "single sign-on failed (" + failure.getMessage() + "); try again or sign in with a local account";
  }

  private static String random(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }

  static String challenge(String verifier) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
