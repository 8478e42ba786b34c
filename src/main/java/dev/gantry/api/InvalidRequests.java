package dev.gantry.api;

import dev.gantry.common.ApiException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers requests the HTTP decoder already refused (a request line over the server's limit, headers
 * over theirs, bytes that are not HTTP) in the error shape, where Vert.x would send a bare status.
 * The connection is closed afterwards: what follows on it cannot be trusted.
 */
final class InvalidRequests implements Handler<HttpServerRequest> {

  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    ApiException error = cause instanceof TooLongHttpLineException
        ? new ApiException(414, "URITooLong", "the URL is too long; send long values in a request body")
        : cause instanceof TooLongHttpHeaderException
            ? new ApiException(431, "RequestHeaderFieldsTooLarge", "the request headers are too large")
            : ApiException.badRequest("the request is not valid HTTP/1.1");
    String path;
    try {
      path = request.path();
    } catch (RuntimeException unreadable) {
      path = null;
    }
    request.response().setStatusCode(error.status()).putHeader("Content-Type", "application/json")
        .putHeader("Connection", "close").end(FailureHandler.render(path, error, false).encode())
        .onComplete(done -> request.connection().close());
  }
}
