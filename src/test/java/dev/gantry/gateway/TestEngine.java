package dev.gantry.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small real OpenAI-shaped engine for the gateway's failure cases: it answers chat completions
 * (whole or streamed), completions and embeddings with fixed content and usage, requires its own
 * bearer secret, and can be told to fail with 500, to die in the middle of a stream or to stream slowly.
 */
final class TestEngine implements AutoCloseable {

  enum Mode { NORMAL, FAIL_500, DIE_MID_STREAM, SLOW_STREAM }

  static final List<String> TOKENS = List.of("Hello", " from", " the", " test", " engine", ".");
  static final String REPLY = String.join("", TOKENS);
  static final int PROMPT_TOKENS = 7;

  final String secret;
  final ConcurrentLinkedQueue<JsonObject> received = new ConcurrentLinkedQueue<>();
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger closedEarly = new AtomicInteger();
  volatile Mode mode = Mode.NORMAL;
  private final Vertx vertx;
  private HttpServer server;

  TestEngine(Vertx vertx, String secret) {
    this.vertx = vertx;
    this.secret = secret;
  }

  TestEngine start() {
    server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1").await();
    return this;
  }

  int port() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    if (!("Bearer " + secret).equals(request.getHeader("Authorization"))) {
      request.response().setStatusCode(401).end("{\"error\":{\"message\":\"Invalid API Key\",\"type\":\"authentication_error\"}}");
      return;
    }
    request.body().onSuccess(raw -> {
      requests.incrementAndGet();
      JsonObject body = raw.toJsonObject();
      received.add(new JsonObject().put("path", request.path()).put("body", body)
          .put("request_id", request.getHeader("X-Request-Id")));
      if (mode == Mode.FAIL_500) {
        request.response().setStatusCode(500).putHeader("Content-Type", "application/json")
            .end("{\"error\":{\"message\":\"engine exploded\",\"type\":\"server_error\",\"code\":500}}");
      } else if (request.path().equals("/v1/embeddings")) {
        embeddings(request, body);
      } else if (Boolean.TRUE.equals(body.getValue("stream"))) {
        stream(request, body);
      } else {
        whole(request, request.path().equals("/v1/completions"));
      }
    });
  }

  private void whole(HttpServerRequest request, boolean completion) {
    JsonObject choice = new JsonObject().put("index", 0).put("finish_reason", "stop").put("logprobs", (Object) null);
    if (completion) {
      choice.put("text", REPLY);
    } else {
      choice.put("message", new JsonObject().put("role", "assistant").put("content", REPLY));
    }
    JsonObject answer = new JsonObject().put("id", "cmpl-1").put("object", completion ? "text_completion" : "chat.completion")
        .put("created", 1_700_000_000).put("model", "test").put("choices", new JsonArray().add(choice)).put("usage", usage());
    request.response().putHeader("Content-Type", "application/json").end(answer.encode());
  }

  private void embeddings(HttpServerRequest request, JsonObject body) {
    JsonArray inputs = body.getValue("input") instanceof JsonArray array ? array : new JsonArray().add(body.getValue("input"));
    JsonArray data = new JsonArray();
    for (int i = 0; i < inputs.size(); i++) {
      data.add(new JsonObject().put("object", "embedding").put("index", i).put("embedding", new JsonArray().add(0.6).add(0.8)));
    }
    request.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("object", "list")
        .put("data", data).put("model", "test")
        .put("usage", new JsonObject().put("prompt_tokens", 3 * inputs.size()).put("total_tokens", 3 * inputs.size())).encode());
  }

  private void stream(HttpServerRequest request, JsonObject body) {
    boolean usage = body.getJsonObject("stream_options", new JsonObject()).getBoolean("include_usage", false);
    request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
    request.response().closeHandler(v -> {
      if (!request.response().ended()) {
        closedEarly.incrementAndGet();
      }
    });
    long delay = mode == Mode.SLOW_STREAM ? 100 : 1;
    int count = mode == Mode.SLOW_STREAM ? 600 : TOKENS.size();
    sendToken(request, 0, count, delay, usage);
  }

  private void sendToken(HttpServerRequest request, int index, int count, long delay, boolean usage) {
    if (request.response().closed()) {
      return;
    }
    if (mode == Mode.DIE_MID_STREAM && index == 3) {
      request.connection().close();
      return;
    }
    if (index < count) {
      String content = TOKENS.get(index % TOKENS.size());
      request.response().write(event(new JsonArray().add(new JsonObject().put("index", 0)
          .put("delta", new JsonObject().put("content", content)).put("finish_reason", (Object) null))));
      vertx.setTimer(delay, t -> sendToken(request, index + 1, count, delay, usage));
      return;
    }
    request.response().write(event(new JsonArray().add(new JsonObject().put("index", 0).put("delta", new JsonObject())
        .put("finish_reason", "stop"))));
    if (usage) {
      request.response().write("data: " + chunk(new JsonArray()).put("usage", usage()).encode() + "\n\n");
    }
    request.response().end("data: [DONE]\n\n");
  }

  private static String event(JsonArray choices) {
    return "data: " + chunk(choices).encode() + "\n\n";
  }

  private static JsonObject chunk(JsonArray choices) {
    return new JsonObject().put("id", "chunk-1").put("object", "chat.completion.chunk").put("created", 1_700_000_000)
        .put("model", "test").put("choices", choices);
  }

  private static JsonObject usage() {
    return new JsonObject().put("prompt_tokens", PROMPT_TOKENS).put("completion_tokens", TOKENS.size())
        .put("total_tokens", PROMPT_TOKENS + TOKENS.size());
  }

  @Override
  public void close() {
    server.close().await();
  }
}
