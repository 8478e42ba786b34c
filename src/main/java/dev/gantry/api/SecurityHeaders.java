package dev.gantry.api;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * The browser hardening headers on every answer, console and API alike: a content security policy that
 * allows only this origin's own scripts, styles and connections (the console is static ES modules with no
 * inline script or style attribute), no framing by anyone, no MIME sniffing, and no referrer.
 */
public final class SecurityHeaders implements Handler<RoutingContext> {

  public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
      + "frame-ancestors 'none'";

  @Override
  public void handle(RoutingContext ctx) {
    MultiMap headers = ctx.response().headers();
    headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    ctx.next();
  }
}
