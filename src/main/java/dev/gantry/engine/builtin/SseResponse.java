package dev.gantry.engine.builtin;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@code text/event-stream} response in OpenAI framing ({@code data: <json>\n\n}, then
 * {@code data: [DONE]\n\n}) that a worker thread can feed: each event waits until the connection
 * can take more (back-pressure), and {@link #isClosed()} turns true as soon as the client is gone.
 */
final class SseResponse {

  private static final long STALLED_CLIENT_SECONDS = 60;

  private final Context context;
  private final HttpServerResponse response;
  private final AtomicBoolean closed;
  private final AtomicReference<CompletableFuture<Void>> waitingForDrain = new AtomicReference<>();

  private SseResponse(Context context, HttpServerResponse response, AtomicBoolean closed) {
    this.context = context;
    this.response = response;
    this.closed = closed;
  }

  /**
   * Prepares the stream's headers (they go out with the first event); call on the response's event
   * loop. {@code clientGone} is set when the connection closes, and may already be set.
   */
  static SseResponse start(Context context, HttpServerResponse response, AtomicBoolean clientGone) {
    SseResponse sse = new SseResponse(context, response, clientGone);
    response.closeHandler(v -> sse.markClosed());
    if (response.closed()) {
      sse.markClosed();
    }
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    return sse;
  }

  boolean isClosed() {
    return closed.get();
  }

  /** Writes one event; call on the event loop. */
  Future<Void> send(JsonObject data) {
    return closed.get() ? Future.succeededFuture() : response.write(frame(data.encode()));
  }

  /**
   * Writes one event from a worker thread and blocks until the connection can take the next one,
   * or the client is gone. A client that reads nothing for a minute counts as gone.
   */
  void sendFromWorker(JsonObject data) {
    if (closed.get()) {
      return;
    }
    String frame = frame(data.encode());
    CompletableFuture<Void> writable = new CompletableFuture<>();
    context.runOnContext(v -> {
      if (closed.get()) {
        writable.complete(null);
        return;
      }
      response.write(frame);
      if (response.writeQueueFull()) {
        waitingForDrain.set(writable);
        response.drainHandler(drained -> writable.complete(null));
      } else {
        writable.complete(null);
      }
    });
    try {
      writable.get(STALLED_CLIENT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      closed.set(true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed.set(true);
    }
  }

  /** Ends the stream with {@code data: [DONE]}; call on the event loop. */
  Future<Void> done() {
    return closed.get() ? Future.succeededFuture() : response.end(frame("[DONE]"));
  }

  /** Reports a failure after the stream has started (the status line is gone), then ends it. */
  Future<Void> fail(OpenAiError error) {
    return send(error.toJson()).compose(v -> done());
  }

  private void markClosed() {
    closed.set(true);
    CompletableFuture<Void> waiting = waitingForDrain.getAndSet(null);
    if (waiting != null) {
      waiting.complete(null);
    }
  }

  private static String frame(String data) {
    return "data: " + data + "\n\n";
  }
}
