package dev.gantry.gateway;

import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Relays an answer that is not a stream once its body is in: its usage to the meter, the bytes as they
 * came, or, for a request that came as Anthropic Messages and went out as OpenAI chat ({@code translate}),
 * the answer turned back into Anthropic's shape. A body that breaks off is handed to {@code failed}.
 */
record WholeAnswer(RoutingContext ctx, UsageMeter meter, String model, boolean translate) {

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
      if (status < 300) {
        meter.usage(Usage.find(body.result()));
      }
      if (translate) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end((status < 300 ? AnthropicAnswers.message(model, body.result())
                : AnthropicAnswers.error(status, body.result())).toBuffer());
        return;
      }
      ctx.response().setStatusCode(status)
          .putHeader(HttpHeaders.CONTENT_TYPE, type == null ? "application/json" : type)
          .end(body.result());
    });
  }
}
