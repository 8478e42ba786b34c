package dev.gantry.api;

import dev.gantry.common.ApiException;
import dev.gantry.common.RetryLater;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders every failure in one shape: {@code {"code","reason","message"}} on the management API,
 * OpenAI's {@code {"error":{"message","type","param","code"}}} on the OpenAI-compatible gateway
 * ({@link OpenAiErrors}), Anthropic's {@code {"type":"error","error":{"type","message"}}} on
 * {@code /v1/messages} ({@link AnthropicErrors}). An unknown path is a 404 and a known path asked with another method a 405 with
 * {@code Allow} ({@link AllowedMethods}). Never a stack trace; an unexpected failure is logged with the
 * request id and answered as a plain 500.
 */
public final class FailureHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);

  private final AllowedMethods allowed;
  private final BodyLimits bodies;

  /**
   * @param routes the router's routes, read at the first 404 or 405 (after every route is mounted)
   * @param bodies the body limits, named by a 413
   */
  public FailureHandler(Supplier<List<Route>> routes, BodyLimits bodies) {
    this.allowed = new AllowedMethods(routes);
    this.bodies = bodies;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!ctx.request().isEnded()) {
      ctx.request().resume();  // a body refused unread (too large) is drained, so that the client reads the answer
    }
    ApiException error = toApiException(ctx);
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (error.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
    }
    if (error instanceof RetryLater later) {
      ctx.response().putHeader("Retry-After", String.valueOf(later.seconds()));
    }
    boolean credentials = ctx.request().getHeader("Authorization") != null || ctx.request().getHeader("Cookie") != null
        || ctx.request().getHeader("x-api-key") != null;
    ctx.response().setStatusCode(error.status()).putHeader("Content-Type", "application/json")
        .end(render(pathOf(ctx), error, credentials).encode());
  }

  /**
   * The error body for a request to this path; OpenAI's shape under {@code /v1} and on the relay hop to an
   * engine ({@code /internal/engines/}), whose answers the calling gateway passes on as an engine's.
   */
  public static JsonObject render(String path, ApiException error, boolean credentialsSent) {
    if (AnthropicErrors.PATH.equals(path)) {
      return AnthropicErrors.render(error);
    }
    if (path != null && GatewayPaths.openAi(path)) {
      return OpenAiErrors.render(error, credentialsSent);
    }
    return error.toJson();
  }

  /** A 404 or 405 of the router: 405 naming the methods when some route serves the path, else 404. */
  private ApiException unrouted(RoutingContext ctx, String method, String path) {
    Set<String> methods = allowed.on(path);
    if (methods.isEmpty() || methods.contains(method)) {
      return ApiException.notFound("no such resource: " + method + " " + path
          + (path.startsWith("/v1") ? "; the OpenAI-compatible API serves /v1/models, /v1/chat/completions,"
              + " /v1/completions, /v1/embeddings and (Anthropic's) /v1/messages" : ""));
    }
    ctx.response().putHeader("Allow", String.join(", ", methods));
    return new ApiException(405, "MethodNotAllowed", "method " + method + " is not allowed on " + path
        + "; allowed: " + String.join(", ", methods));
  }

  private ApiException toApiException(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiException api) {
      return api;
    }
    if (failure instanceof DecodeException) {
      return ApiException.badRequest("request body is not valid JSON: " + failure.getMessage());
    }
    int status = failure instanceof HttpException http ? http.getStatusCode() : ctx.statusCode();
    String method = ctx.request().method().name();
    String path = pathOf(ctx);
    switch (status) {
      case 400:
        return ApiException.badRequest(failure == null || String.valueOf(failure.getMessage()).contains("escape")
            ? "the URL is malformed: every '%' must start an escape such as %20 (send '%' itself as %25)"
            : failure.getMessage() != null ? failure.getMessage() : "bad request");
      case 401:
        return ApiException.unauthorized("sign in or send an API key as 'Authorization: Bearer gt-...'");
      case 403:
        return ApiException.forbidden("you are not allowed to " + method + " " + path);
      case 404:
      case 405:
        return unrouted(ctx, method, path);
      case 413:
        return new ApiException(413, "PayloadTooLarge", bodies.tooLarge(ctx));
      case 415:
        return new ApiException(415, "UnsupportedMediaType", "send the body as application/json");
      default:
        LOG.error("unexpected failure [request-id: {}] [route: {} {}]", ctx.get(RequestIds.KEY), method, path, failure);
        return new ApiException(500, "InternalError",
            "internal error; quote request id " + ctx.get(RequestIds.KEY) + " when reporting it");
    }
  }

  /** The normalized path, or the raw one when it has a broken %-escape (normalizing it throws). */
  private static String pathOf(RoutingContext ctx) {
    try {
      return ctx.normalizedPath();
    } catch (IllegalArgumentException malformed) {
      return ctx.request().path();
    }
  }
}
