package dev.gantry.auth;

import dev.gantry.common.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * What a browser may send on its own: a state-changing request ({@code POST}, {@code PUT}, {@code PATCH},
 * {@code DELETE}) that rides on the console's session cookie, and every sign-in ({@code POST /auth/login},
 * closing login CSRF), must come from this node's own pages — {@code Sec-Fetch-Site: same-origin}, or an
 * {@code Origin} equal to the request's own scheme and authority (as received, or as a reverse proxy's
 * {@code X-Forwarded-*} headers give it) or to {@code --external-url} — and a body
 * must be {@code application/json} (which a cross-site form cannot send). {@code SameSite=Strict} alone is
 * not enough: other ports of the same host (engines, Grafana, an identity provider) are the same site.
 * Requests with an API key ({@code Authorization: Bearer}) or another node's signature carry no cookie
 * authority and pass untouched.
 */
public final class CrossSiteGuard implements Handler<RoutingContext> {

  private static final Set<HttpMethod> STATE_CHANGING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
      HttpMethod.DELETE);
  private static final String LOGIN = "/auth/login";

  private final String sessionCookie;
  private final String externalOrigin;

  /** @param externalUrl {@code --external-url}, or null */
  public CrossSiteGuard(String sessionCookie, String externalUrl) {
    this.sessionCookie = sessionCookie;
    this.externalOrigin = externalUrl == null ? null : origin(externalUrl);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (!STATE_CHANGING.contains(request.method()) || !(riding(request) || LOGIN.equals(request.path()))) {
      ctx.next();
      return;
    }
    if (!sameOrigin(request)) {
      ctx.fail(ApiException.forbidden("cross-site request refused: a request signed in with the console's cookie must "
          + "come from the console's own pages (Origin '" + request.getHeader("Origin") + "' is not this node); "
          + "scripts should send an API key as 'Authorization: Bearer gt-...'"));
      return;
    }
    if (ctx.body() != null && ctx.body().length() > 0 && !json(request.getHeader("Content-Type"))) {
      ctx.fail(new ApiException(415, "UnsupportedMediaType", "send the body as JSON with 'Content-Type: application/json' (got '"
          + request.getHeader("Content-Type") + "')"));
      return;
    }
    ctx.next();
  }

  /** Whether the request's authority comes from the cookie a browser attaches by itself. */
  private boolean riding(HttpServerRequest request) {
    String authorization = request.getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;  // decided before the cookies are parsed: every API call with a key ends here
    }
    return request.getHeader(ClusterCaller.HEADER) == null && request.getCookie(sessionCookie) != null;
  }

  private boolean sameOrigin(HttpServerRequest request) {
    if ("same-origin".equalsIgnoreCase(request.getHeader("Sec-Fetch-Site"))) {
      return true;
    }
    String given = request.getHeader("Origin");
    if (given == null || given.isBlank() || "null".equals(given)) {
      return false;
    }
    String origin = origin(given);
    if (origin == null) {
      return false;
    }
    if (origin.equals(externalOrigin)) {
      return true;
    }
    if (origin.equals(received(request))) {
      return true;
    }
    try {
      return origin.equals(origin(ExternalUrl.of(null, request.isSSL(), request.headers())));
    } catch (ApiException e) {
      return false;
    }
  }

  /** The origin the request was sent to, from its authority ({@code Host}, or {@code :authority} over HTTP/2). */
  private static String received(HttpServerRequest request) {
    HostAndPort authority = request.authority();
    if (authority == null) {
      return null;
    }
    String host = authority.host().contains(":") && !authority.host().startsWith("[")
        ? "[" + authority.host() + "]" : authority.host();
    return origin((request.isSSL() ? "https://" : "http://") + host + (authority.port() >= 0 ? ":" + authority.port() : ""));
  }

  private static boolean json(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return type.equals("application/json");
  }

  /** {@code scheme://host[:port]} in lower case, without the scheme's default port; null when it is not a URL. */
  static String origin(String url) {
    try {
      URI uri = URI.create(url.strip());
      if (uri.getScheme() == null || uri.getHost() == null) {
        return null;
      }
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      int port = uri.getPort();
      boolean standard = port == -1 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
      return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (standard ? "" : ":" + port);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
