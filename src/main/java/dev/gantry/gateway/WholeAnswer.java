package dev.gantry.gateway;

import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Relays an answer that is not a stream once its body is in: its usage to the meter, the bytes as they
 * came, or, for a request that came in another protocol and went out as OpenAI chat (its {@code dialect},
 * null otherwise), the answer turned back into that protocol's shape. A body that breaks off is handed to
 * {@code failed}. Usage is read only from a JSON answer (not from audio or image bytes).
 */
record WholeAnswer(RoutingContext ctx, UsageMeter meter, String model, ChatDialect dialect) {

  void relay(HttpClientResponse response, int status, String type, InstanceLoad.Lease lease, Consumer<String> failed,
      BooleanSupplier clientGone) {
    response.body().onComplete(body -> {
      lease.release();
      if (clientGone.getAsBoolean() || ctx.response().ended()) {
        return;
      }
      if (body.failed()) {
        failed.accept("failed while answering (" + ProxiedRequest.describe(body.cause()) + ")");
        return;
      }
      if (status < 300 && (type == null || type.contains("json"))) {
        meter.usage(Usage.find(body.result()));
      }
      if (dialect != null) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(dialect.answer().of(model, status, body.result()));
        return;
      }
      ctx.response().setStatusCode(status)
          .putHeader(HttpHeaders.CONTENT_TYPE, type == null ? "application/json" : type)
          .end(body.result());
    });
  }
}
