package dev.gantry.api;

import dev.gantry.common.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.function.Consumer;

/**
 * The conventions every route gets: request ids, browser hardening headers, a body size limit on routes
 * that take a body, one failure handler, and 404/405 answers in the error shape. Features add their routes through mounts.
 */
public final class ApiRouter {

  public static final long BODY_LIMIT = 1024 * 1024;

  /**
   * The node's router: request ids, URL check and security headers; then the caller is authenticated
   * ({@code authenticate}, which must always go on), with the body held back meanwhile, so that the body's
   * limit can depend on who sends it ({@link BodyLimits}); then the body is read, {@code afterBody} run (checks
   * that look at the body), the routes mounted, and every failure rendered by one {@link FailureHandler}.
   */
  public static Router create(Vertx vertx, Handler<RoutingContext> authenticate, BodyLimits limits,
      List<Handler<RoutingContext>> afterBody, List<Consumer<Router>> mounts) {
    Router router = Router.router(vertx);
    router.route().handler(new RequestIds());
    router.route().handler(ApiRouter::rejectMalformedUrl);
    router.route().handler(new SecurityHeaders());
    router.route().handler(ApiRouter::holdBody);
    router.route().handler(authenticate);
    BodyHandler small = bodyHandler(BODY_LIMIT);
    BodyHandler large = bodyHandler(limits.inference());
    RawMultipartBody smallForm = new RawMultipartBody(BODY_LIMIT);
    RawMultipartBody largeForm = new RawMultipartBody(limits.inference());
    router.route().method(HttpMethod.POST).handler(ctx -> {
      boolean big = limits.large(ctx);
      if (RawMultipartBody.applies(ctx)) {
        (big ? largeForm : smallForm).handle(ctx);
      } else {
        (big ? large : small).handle(ctx);
      }
    });
    router.route().method(HttpMethod.PUT).handler(small);
    router.route().method(HttpMethod.PATCH).handler(small);
    afterBody.forEach(handler -> router.route().handler(handler));
    mounts.forEach(mount -> mount.accept(router));
    FailureHandler failures = new FailureHandler(router::getRoutes, limits);
    router.route().failureHandler(failures);
    router.errorHandler(400, failures);
    router.errorHandler(404, failures);
    router.errorHandler(405, failures);
    router.errorHandler(413, failures);
    router.errorHandler(500, failures);
    return router;
  }

  /**
   * A body is not read before the caller is authenticated (its limit depends on who sends it): the request is
   * paused until the body handler takes it. The handlers in between never fail, so the body is always read or
   * the request answered.
   */
  private static void holdBody(RoutingContext ctx) {
    HttpMethod method = ctx.request().method();
    if (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) {
      ctx.request().pause();
    }
    ctx.next();
  }

  /**
   * A URL with a broken %-escape would otherwise fail later, wherever the path or a parameter is first decoded.
   * Only an escape can be broken: a URL without '%' (every gateway request, as a rule) is passed on unparsed.
   */
  private static void rejectMalformedUrl(RoutingContext ctx) {
    if (ctx.request().uri().indexOf('%') < 0) {
      ctx.next();
      return;
    }
    try {
      ctx.normalizedPath();
      ctx.request().params();
      ctx.queryParams();
    } catch (IllegalArgumentException e) {
      ctx.fail(ApiException.badRequest("the URL is malformed: every '%' must start an escape such as %20"
          + " (send '%' itself as %25)"));
      return;
    }
    ctx.next();
  }

  private static BodyHandler bodyHandler(long limit) {
    return BodyHandler.create(false).setBodyLimit(limit).setHandleFileUploads(false);
  }

  private ApiRouter() {
  }
}
