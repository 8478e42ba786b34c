package dev.gantry.api;

import dev.gantry.common.ApiException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
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

  public static Router create(Vertx vertx, List<Handler<RoutingContext>> before, List<Consumer<Router>> mounts) {
    Router router = Router.router(vertx);
    router.route().handler(new RequestIds());
    router.route().handler(ApiRouter::rejectMalformedUrl);
    router.route().handler(new SecurityHeaders());
    BodyHandler body = bodyHandler();
    RawMultipartBody multipart = new RawMultipartBody(BODY_LIMIT);
    router.route().method(io.vertx.core.http.HttpMethod.POST)
        .handler(ctx -> (RawMultipartBody.applies(ctx) ? multipart : body).handle(ctx));
    router.route().method(io.vertx.core.http.HttpMethod.PUT).handler(bodyHandler());
    router.route().method(io.vertx.core.http.HttpMethod.PATCH).handler(bodyHandler());
    before.forEach(handler -> router.route().handler(handler));
    mounts.forEach(mount -> mount.accept(router));
    FailureHandler failures = new FailureHandler(router::getRoutes);
    router.route().failureHandler(failures);
    router.errorHandler(400, failures);
    router.errorHandler(404, failures);
    router.errorHandler(405, failures);
    router.errorHandler(413, failures);
    router.errorHandler(500, failures);
    return router;
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

  private static BodyHandler bodyHandler() {
    return BodyHandler.create(false).setBodyLimit(BODY_LIMIT).setHandleFileUploads(false);
  }

  private ApiRouter() {
  }
}
