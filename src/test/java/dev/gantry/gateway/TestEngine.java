package dev.gantry.gateway;

import dev.gantry.engine.builtin.BuiltinEngineMain;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small real OpenAI-shaped engine, run by Gantry as a {@code custom} backend process: it answers chat
 * completions (whole or streamed), completions and embeddings with fixed content and usage (and the audio
 * and image endpoints, {@link TestMediaAnswers}) and requires
 * the engine key it finds in {@code GANTRY_API_KEY}, as Gantry's engines do. For the gateway's failure cases a test can switch it, through
 * {@code POST /control/mode/<mode>}, to fail with 500, to drop the connection in the middle of a stream or
 * to stream slowly, and read what it saw at {@code GET /control/stats}. {@code /health} and
 * {@code /control} need no key (it listens on loopback only).
 *
 * <p>{@code GANTRY_API_KEY=K java -cp <test classpath> dev.gantry.gateway.TestEngine --host H --port P
 * [--ready-when FILE]}: with {@code --ready-when}, {@code /health} answers 503 until the file exists, so a test
 * decides when the replica turns running.
 */
public final class TestEngine {

  enum Mode { NORMAL, FAIL_500, DIE_MID_STREAM, SLOW_STREAM, CLOSE_KEEP_ALIVE }

  /** In mode {@code CLOSE_KEEP_ALIVE}: the last answer on a connection says {@code Connection: close}, as cpp-httplib's. */
  static final int MAX_REQUESTS_PER_CONNECTION = 5;
  /** In mode {@code CLOSE_KEEP_ALIVE}: a connection idle this long is closed without a word (llama-server: 5 s). */
  static final long IDLE_CLOSE_MS = 15;

  static final List<String> TOKENS = List.of("Hello", " from", " the", " test", " engine", ".");
  static final String REPLY = String.join("", TOKENS);
  static final int PROMPT_TOKENS = 7;

  private final String secret;
  /** The last {@link #KEPT} requests (load tests send hundreds of thousands; keeping all ran out of memory). */
  private final ConcurrentLinkedQueue<JsonObject> received = new ConcurrentLinkedQueue<>();
  private static final int KEPT = 10_000;
  private final AtomicInteger kept = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger closedEarly = new AtomicInteger();
  private final KeepAliveLimits keepAlive;
  private volatile Mode mode = Mode.NORMAL;
  private final Vertx vertx;
  private final Path readyWhen;

  TestEngine(Vertx vertx, String secret) {
    this(vertx, secret, null);
  }

  private TestEngine(Vertx vertx, String secret, Path readyWhen) {
    this.vertx = vertx;
    this.readyWhen = readyWhen;
    this.secret = secret;
    this.keepAlive = new KeepAliveLimits(vertx, MAX_REQUESTS_PER_CONNECTION, IDLE_CLOSE_MS);
  }

  TestEngine start(String host, int port) {
    vertx.createHttpServer().requestHandler(this::handle).listen(port, host).await();
    return this;
  }

  int requests() {
    return requests.get();
  }

  public static void main(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i], args[i + 1]);
    }
    Path readyWhen = options.containsKey("--ready-when") ? Path.of(options.get("--ready-when")) : null;
    new TestEngine(BuiltinEngineMain.withoutFileCache(), System.getenv("GANTRY_API_KEY"), readyWhen)
        .start(options.getOrDefault("--host", "127.0.0.1"), Integer.parseInt(options.get("--port")));
    System.out.println("test engine listening on port " + options.get("--port"));
  }

  private void handle(HttpServerRequest request) {
    if (request.path().startsWith("/control/") || request.path().equals("/health")) {
      control(request);
      return;
    }
    if (!("Bearer " + secret).equals(request.getHeader("Authorization"))) {
      request.response().setStatusCode(401).end("{\"error\":{\"message\":\"Invalid API Key\",\"type\":\"authentication_error\"}}");
      return;
    }
    if (mode == Mode.CLOSE_KEEP_ALIVE) {
      keepAlive.requestStarted(request);
    }
    request.body().onSuccess(raw -> {
      requests.incrementAndGet();
      if (request.path().startsWith("/v1/audio/") || request.path().startsWith("/v1/images/")) {
        TestMediaAnswers.answer(request, raw);
        return;
      }
      JsonObject body = raw.toJsonObject();
      received.add(new JsonObject().put("path", request.path()).put("body", body)
          .put("request_id", request.getHeader("X-Request-Id")));
      if (kept.incrementAndGet() > KEPT && received.poll() != null) {
        kept.decrementAndGet();
      }
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

  private void control(HttpServerRequest request) {
    if (request.path().equals("/health") && readyWhen != null && !Files.exists(readyWhen)) {
      request.response().setStatusCode(503).end("{\"status\":\"loading\"}");
      return;
    }
    if (request.path().startsWith("/control/mode/")) {
      mode = Mode.valueOf(request.path().substring("/control/mode/".length()).toUpperCase());
    }
    JsonArray ids = new JsonArray();
    received.forEach(r -> ids.add(r.getString("request_id")));
    request.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("mode", mode.name())
        .put("requests", requests.get()).put("closed_early", closedEarly.get())
        .put("closed_after_max", keepAlive.closedAfterMax()).put("closed_idle", keepAlive.closedIdle()).put("request_ids", ids).encode());
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

}
