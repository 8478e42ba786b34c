package dev.gantry.auth;

import dev.gantry.common.ApiException;
import dev.gantry.config.OidcConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.providers.OpenIDConnectAuth;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenID Connect provider of {@code --oidc-issuer}, found through its discovery document at start.
 * A provider that cannot be reached does not stop the node: discovery is retried in the background
 * (1 s, doubling up to 30 s) and single sign-on answers 503 until it succeeds.
 */
public final class OidcProvider {

  private static final Logger LOG = LoggerFactory.getLogger(OidcProvider.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration LAST_RETRY = Duration.ofSeconds(30);
  private static final int TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final OidcConfig config;
  private volatile OAuth2Auth auth;
  private volatile String problem = "discovery has not finished yet";

  public OidcProvider(Vertx vertx, OidcConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  public OidcConfig config() {
    return config;
  }

  public boolean enabled() {
    return config.enabled();
  }

  public boolean available() {
    return auth != null;
  }

  /** Starts discovery; completes (never fails) once the first attempt has succeeded or failed. */
  public Future<Void> start() {
    return enabled() ? discover(FIRST_RETRY) : Future.succeededFuture();
  }

  /** The discovered provider, or a 503 that says why single sign-on is not available yet. */
  public Future<OAuth2Auth> ready() {
    OAuth2Auth found = auth;
    if (found != null) {
      return Future.succeededFuture(found);
    }
    return Future.failedFuture(ApiException.unavailable("single sign-on is unavailable: the identity provider at "
        + config.issuer() + " has not answered yet (" + problem + "); Gantry keeps trying, so try again in a minute "
        + "or sign in with a local account"));
  }

  /**
   * Where to send the browser to end its session at the provider too (RP-initiated logout), or null when
   * the provider offers no end-session endpoint.
   */
  public String endSessionUrl(String idToken, String afterLogout) {
    OAuth2Auth found = auth;
    if (found == null || idToken == null) {
      return null;
    }
    return found.endSessionURL(User.create(new JsonObject().put("id_token", idToken)),
        new JsonObject().put("client_id", config.clientId()).put("post_logout_redirect_uri", afterLogout));
  }

  private Future<Void> discover(Duration retryIn) {
    return OpenIDConnectAuth.discover(vertx, options()).timeout(2L * TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onSuccess(found -> {
          found.missingKeyHandler(keyId -> found.jWKSet());
          auth = found;
          LOG.info("single sign-on ready [issuer: {}]", config.issuer());
        })
        .onFailure(e -> {
          problem = e.getMessage() == null ? e.toString() : e.getMessage();
          LOG.warn("cannot discover the OpenID Connect provider; single sign-on is unavailable until it answers "
              + "[issuer: {}] [retry_in_s: {}] [error: {}]", config.issuer(), retryIn.toSeconds(), problem);
          Duration next = retryIn.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retryIn.multipliedBy(2);
          vertx.setTimer(retryIn.toMillis(), id -> discover(next));
        })
        .<Void>mapEmpty().otherwiseEmpty();
  }

  private OAuth2Options options() {
    return new OAuth2Options().setSite(config.issuer()).setClientId(config.clientId())
        .setClientSecret(config.clientSecret()).setJWTOptions(new JWTOptions().setLeeway(30))
        .setHttpClientOptions(new HttpClientOptions().setConnectTimeout(TIMEOUT_MS)
            .setIdleTimeout(TIMEOUT_MS).setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
  }
}
