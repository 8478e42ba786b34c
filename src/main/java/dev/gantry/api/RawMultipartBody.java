package dev.gantry.api;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;

/**
 * Keeps a multipart form's bytes as the request body, for the gateway routes that pass such forms on
 * unchanged ({@code /v1/audio/transcriptions}, {@code /v1/images/edits}, and the relay hop
 * {@code /internal/engines/...}): vertx-web's body handler would parse the form and drop its bytes. The
 * same size limit holds ({@link ApiRouter#BODY_LIMIT}, 413 beyond it).
 */
final class RawMultipartBody implements Handler<RoutingContext> {

  private final long limit;

  RawMultipartBody(long limit) {
    this.limit = limit;
  }

  /** Whether a request is such a form on a gateway path. */
  static boolean applies(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.regionMatches(true, 0, "multipart/form-data", 0, 19)) {
      return false;
    }
    return GatewayPaths.openAi(ctx.normalizedPath());
  }

  @Override
  public void handle(RoutingContext ctx) {
    String declared = ctx.request().getHeader("Content-Length");
    if (declared != null && declared.chars().allMatch(Character::isDigit) && declared.length() < 19
        && Long.parseLong(declared) > limit) {
      ctx.fail(413);
      return;
    }
    if (ctx.request().isEnded()) {
      keep(ctx, Buffer.buffer());
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] failed = {false};
    ctx.request().handler(chunk -> {
      if (failed[0]) {
        return;
      }
      if (body.length() + chunk.length() > limit) {
        failed[0] = true;
        ctx.fail(413);
        return;
      }
      body.appendBuffer(chunk);
    });
    ctx.request().exceptionHandler(error -> {
      if (!failed[0]) {
        failed[0] = true;
        ctx.fail(error);
      }
    });
    ctx.request().endHandler(v -> {
      if (!failed[0]) {
        keep(ctx, body);
      }
    });
    ctx.request().resume();
  }

  private static void keep(RoutingContext ctx, Buffer body) {
    RoutingContextInternal internal = (RoutingContextInternal) ctx;
    internal.visitHandler(RoutingContextInternal.BODY_HANDLER);
    internal.setBody(body);
    ctx.next();
  }
}
