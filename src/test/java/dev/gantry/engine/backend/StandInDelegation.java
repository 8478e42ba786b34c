package dev.gantry.engine.backend;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Flow;

/**
 * A stand-in's {@code /v1/chat/completions} answered by a real local engine: the request goes to the delegate
 * under the delegate's model name, the answer comes back under the stand-in's, and the delegate's {@code usage}
 * is counted into the stand-in's metrics. A whole answer is renamed at once; a stream is passed on line by line
 * as the delegate sends it ({@link ChunkRelay}), each {@code data:} chunk renamed. A stream asks the delegate for
 * its usage chunk ({@code stream_options.include_usage}) and passes it on only if the client asked too.
 */
final class StandInDelegation {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static void forward(HttpServerRequest request, JsonObject body, JsonObject delegate, String name,
      StandInEngine.Counters counters) {
    boolean stream = body.getBoolean("stream", false);
    JsonObject options = body.getJsonObject("stream_options", new JsonObject());
    boolean clientWantsUsage = options.getBoolean("include_usage", false);
    JsonObject forwarded = body.copy().put("model", delegate.getString("model"));
    if (stream) {
      forwarded.put("stream_options", options.copy().put("include_usage", true));
    }
    HttpRequest call = HttpRequest.newBuilder(URI.create(delegate.getString("url") + "/v1/chat/completions"))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(forwarded.encode())).build();
    Context context = Vertx.currentContext();
    HttpServerResponse response = request.response();
    // a streamed 200 goes through the relay as it arrives (the future then holds null); anything else whole
    HttpResponse.BodyHandler<String> handler = info -> stream && info.statusCode() == 200
        ? BodySubscribers.fromLineSubscriber(new ChunkRelay(response, context, name, counters, clientWantsUsage),
            relay -> null, StandardCharsets.UTF_8, null)
        : BodySubscribers.ofString(StandardCharsets.UTF_8);
    HTTP.sendAsync(call, handler).whenComplete((answer, failure) -> context.runOnContext(v -> {
      if (failure != null) {
        failed(response, failure);
      } else if (answer.statusCode() != 200) {
        response.setStatusCode(answer.statusCode()).putHeader("Content-Type", "application/json").end(answer.body());
      } else if (!stream) {
        JsonObject whole = new JsonObject(answer.body()).put("model", name);
        count(whole, counters);
        response.setStatusCode(200).putHeader("Content-Type", "application/json").end(whole.encode());
      }
    }));
  }

  /** Before anything was sent: a 502 saying why; mid-stream: the connection is reset, the client sees it cut. */
  private static void failed(HttpServerResponse response, Throwable failure) {
    if (!response.headWritten()) {
      response.setStatusCode(502).end(new JsonObject().put("error", new JsonObject()
          .put("message", "stand-in: the delegate engine failed: " + failure)).encode());
    } else if (!response.ended() && !response.closed()) {
      response.reset();
    }
  }

  /**
   * Passes the delegate's event stream on one line at a time, on the stand-in's context: a {@code data:} chunk
   * with its {@code model} renamed (the usage-only chunk dropped unless the client asked for it, its usage
   * counted once), every other line as it is. The next line is asked for once the previous one is written, so a
   * slow client slows the delegate down rather than filling memory; a client that leaves cancels the delegate.
   */
  private static final class ChunkRelay implements Flow.Subscriber<String> {

    private final HttpServerResponse response;
    private final Context context;
    private final String name;
    private final StandInEngine.Counters counters;
    private final boolean keepUsage;
    private Flow.Subscription subscription;
    private boolean counted;

    ChunkRelay(HttpServerResponse response, Context context, String name, StandInEngine.Counters counters,
        boolean keepUsage) {
      this.response = response;
      this.context = context;
      this.name = name;
      this.counters = counters;
      this.keepUsage = keepUsage;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      context.runOnContext(v -> {
        subscription = s;
        response.setStatusCode(200).setChunked(true).putHeader("Content-Type", "text/event-stream");
        response.closeHandler(closed -> s.cancel());
        s.request(1);
      });
    }

    @Override
    public void onNext(String line) {
      context.runOnContext(v -> {
        String out = renamed(line);
        if (out == null || response.closed()) {
          subscription.request(1);
          return;
        }
        response.write(out + "\n").onComplete(written -> subscription.request(1));
      });
    }

    @Override
    public void onError(Throwable failure) {
      // the send's future fails with it too: forward() resets the response
    }

    @Override
    public void onComplete() {
      context.runOnContext(v -> {
        if (!counted) {
          counters.count(0, 0);
        }
        if (!response.ended() && !response.closed()) {
          response.end();
        }
      });
    }

    /** The line to pass on, or null to drop it (the usage-only chunk the client did not ask for). */
    private String renamed(String line) {
      if (!line.startsWith("data:") || line.substring(5).trim().equals("[DONE]")) {
        return line;
      }
      JsonObject chunk = new JsonObject(line.substring(5).trim()).put("model", name);
      boolean usageOnly = chunk.getJsonObject("usage") != null && chunk.getJsonArray("choices", null) != null
          && chunk.getJsonArray("choices").isEmpty();
      if (chunk.getJsonObject("usage") != null && !counted) {
        counted = count(chunk, counters);
      }
      return usageOnly && !keepUsage ? null : "data: " + chunk.encode();
    }
  }

  private static boolean count(JsonObject answer, StandInEngine.Counters counters) {
    JsonObject usage = answer.getJsonObject("usage", new JsonObject());
    counters.count(usage.getLong("prompt_tokens", 0L), usage.getLong("completion_tokens", 0L));
    return true;
  }

  private StandInDelegation() {
  }
}
