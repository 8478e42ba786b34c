package dev.gantry.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Relays an answer that is not a stream once its body is in: its usage to the meter, the bytes as they
 * came, or, for a request that came in another protocol and went out as OpenAI chat (its {@code dialect},
 * null otherwise), the answer turned back into that protocol's shape. An Anthropic provider's answer to a
 * chat request ({@code fromAnthropic}) is first turned into OpenAI chat. A body that breaks off is handed to
 * {@code failed}. Usage is read only from a JSON answer (not from audio or image bytes).
 */
record WholeAnswer(RoutingContext ctx, UsageMeter meter, String model, ChatDialect dialect, boolean fromAnthropic) {

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
      Buffer answer = !fromAnthropic ? body.result() : status < 300
          ? AnthropicProviderAnswers.completion(model, body.result()) : AnthropicProviderAnswers.error(status, body.result());
      String answerType = fromAnthropic ? "application/json" : type;
      if (status < 300 && (answerType == null || answerType.contains("json"))) {
        meter.usage(Usage.find(answer));
      }
      if (dialect != null) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .end(dialect.answer().of(model, status, answer));
        return;
      }
      ctx.response().setStatusCode(status)
          .putHeader(HttpHeaders.CONTENT_TYPE, answerType == null ? "application/json" : answerType)
          .end(answer);
    });
  }
}
