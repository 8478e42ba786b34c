package dev.gantry.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The minimal fast engine the gateway benchmark proxies to: a fixed chat completion, and a fixed
 * stream of {@link #TOKENS} token events {@link #TOKEN_INTERVAL_MS} ms apart (the last one together
 * with {@code [DONE]}), behind the instance's bearer secret. Run by Gantry as a {@code custom} backend:
 * {@code GANTRY_API_KEY=K java -cp ... dev.gantry.bench.BenchEngine --host H --port P [--direct-key D]}, where
 * {@code D} (not a secret: a bench's own) is a second key a load process outside Gantry calls it directly with.
 */
public final class BenchEngine {

  static final int TOKENS = 20;
  static final long TOKEN_INTERVAL_MS = 50;

  private static final Buffer COMPLETION = Buffer.buffer(new JsonObject().put("id", "chatcmpl-bench")
      .put("object", "chat.completion").put("created", 1_700_000_000).put("model", "bench")
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "stop")
          .put("message", new JsonObject().put("role", "assistant").put("content", "The quick brown fox jumps over the lazy dog."))))
      .put("usage", new JsonObject().put("prompt_tokens", 12).put("completion_tokens", 10).put("total_tokens", 22))
      .encode());
  private static final Buffer TOKEN = event(new JsonArray().add(new JsonObject().put("index", 0)
      .put("delta", new JsonObject().put("content", " fox")).putNull("finish_reason")), null);
  private static final Buffer END = Buffer.buffer()
      .appendBuffer(event(new JsonArray().add(new JsonObject().put("index", 0).put("delta", new JsonObject())
          .put("finish_reason", "stop")), null))
      .appendBuffer(event(new JsonArray(), new JsonObject().put("prompt_tokens", 12).put("completion_tokens", TOKENS)))
      .appendString("data: [DONE]\n\n");

  private final Vertx vertx;
  private final String authorization;
  private final String direct;

  private BenchEngine(Vertx vertx, String secret, String directKey) {
    this.vertx = vertx;
    this.authorization = "Bearer " + secret;
    this.direct = directKey == null ? null : "Bearer " + directKey;
  }

  public static void main(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i], args[i + 1]);
    }
    Vertx vertx = Vertx.vertx();
    BenchEngine engine = new BenchEngine(vertx, System.getenv("GANTRY_API_KEY"), options.get("--direct-key"));
    HttpServerOptions server = new HttpServerOptions().setHost(options.getOrDefault("--host", "127.0.0.1"))
        .setPort(Integer.parseInt(options.get("--port"))).setTcpNoDelay(true);
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return vertx.createHttpServer(server).requestHandler(engine::handle).listen();
      }
    }, new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors())).await();
    System.out.println("bench engine listening on port " + server.getPort());
  }

  private void handle(HttpServerRequest request) {
    if (request.path().equals("/health")) {
      request.response().end("{\"status\":\"ok\"}");
      return;
    }
    String presented = request.getHeader("Authorization");
    if (!authorization.equals(presented) && (direct == null || !direct.equals(presented))) {
      request.response().setStatusCode(401).end();
      return;
    }
    request.body().onSuccess(body -> {
      if (body.toJsonObject().getBoolean("stream", false)) {
        request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
        tick(request, 1);
      } else {
        request.response().putHeader("Content-Type", "application/json").end(COMPLETION);
      }
    });
  }

  private void tick(HttpServerRequest request, int sent) {
    if (request.response().closed()) {
      return;
    }
    if (sent == TOKENS) {
      request.response().end(Buffer.buffer().appendBuffer(TOKEN).appendBuffer(END));
      return;
    }
    request.response().write(TOKEN);
    vertx.setTimer(TOKEN_INTERVAL_MS, t -> tick(request, sent + 1));
  }

  private static Buffer event(JsonArray choices, JsonObject usage) {
    JsonObject chunk = new JsonObject().put("id", "chatcmpl-bench").put("object", "chat.completion.chunk")
        .put("created", 1_700_000_000).put("model", "bench").put("choices", choices);
    if (usage != null) {
      chunk.put("usage", usage);
    }
    return Buffer.buffer("data: " + chunk.encode() + "\n\n");
  }
}
