package dev.gantry.api;

import dev.gantry.api.WatchHub.Event;
import dev.gantry.common.ApiException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One {@code ?watch=true} stream: real SSE framing ({@code event:}, {@code id:}, {@code data:}),
 * a CREATED event per visible item first (or a replay after {@code Last-Event-ID}), then live
 * changes. Writes wait for the socket (back-pressure); while it is slow, changes coalesce per item.
 */
public final class SseWatch {

  public static final long KEEP_ALIVE_MS = 15_000;
  static final int BUFFER_LIMIT = 10_000;

  private final HttpServerResponse response;
  private final Context context;
  private final Predicate<JsonObject> visible;
  private final UnaryOperator<JsonObject> view;
  private final CoalescingBuffer buffer = new CoalescingBuffer(BUFFER_LIMIT);
  private boolean closed;
  private boolean snapshotting;
  private Runnable cleanup = () -> { };

  private SseWatch(HttpServerResponse response, Context context, Predicate<JsonObject> visible,
      UnaryOperator<JsonObject> view) {
    this.response = response;
    this.context = context;
    this.visible = visible;
    this.view = view;
  }

  /**
   * Serves the stream, counted against the caller's cap ({@link CallerStreams}); it ends (the response
   * completes) when the caller's access ends.
   */
  public static void serve(RoutingContext ctx, WatchHub hub, Supplier<Future<List<JsonObject>>> snapshot,
      Predicate<JsonObject> visible, UnaryOperator<JsonObject> view) {
    HttpServerResponse response = ctx.response();
    SseWatch watch = new SseWatch(response, Vertx.currentContext(), visible, view);
    CallerStreams.Stream stream;
    try {
      stream = CallerStreams.of(ctx).open(CallerStreams.Kind.WATCH, () -> watch.context.runOnContext(v -> watch.end()));
    } catch (ApiException e) {
      ctx.fail(e);
      return;
    }
    response.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    long snapshotSeq = hub.currentSeq();
    Consumer<Event> subscriber = event -> watch.context.runOnContext(v -> watch.offer(event));
    List<Event> missed = hub.subscribe(subscriber, lastEventId(ctx));
    long keepAlive = ctx.vertx().setPeriodic(KEEP_ALIVE_MS, t -> watch.write(": keep-alive\n\n"));
    watch.cleanup = () -> {
      watch.closed = true;
      hub.unsubscribe(subscriber);
      ctx.vertx().cancelTimer(keepAlive);
      stream.closed();
    };
    response.closeHandler(v -> watch.cleanup.run());
    response.write(": watching " + hub.resource() + "\n\n");
    if (missed != null) {
      missed.forEach(watch::offer);
      return;
    }
    watch.snapshotting = true;
    snapshot.get().onSuccess(items -> items.forEach(item ->
            watch.offer(new Event(snapshotSeq, "CREATED", "", item), true)))
        .onFailure(err -> watch.write("event: ERROR\ndata: " + new JsonObject()
            .put("message", String.valueOf(err.getMessage())).encode() + "\n\n"))
        .onComplete(ar -> {
          watch.snapshotting = false;
          watch.drain();
        });
  }

  /** The caller's access ended: the stream completes (an EventSource that reconnects then gets a 401). */
  private void end() {
    if (closed) {
      return;
    }
    cleanup.run();
    if (!response.ended() && !response.closed()) {
      response.end();
    }
  }

  private void offer(Event event) {
    offer(event, false);
  }

  /**
   * Snapshot items are written in order without coalescing; live events wait (coalescing) until the
   * snapshot is written, so no item arrives newer-then-older, and coalesce while the socket is slow.
   */
  private void offer(Event seen, boolean snapshot) {
    if (closed || !visible.test(seen.item())) {
      return;
    }
    Event event = new Event(seen.seq(), seen.type(), seen.id(), view.apply(seen.item()));
    if (snapshot || (!snapshotting && buffer.isEmpty() && !response.writeQueueFull())) {
      write(frame(event));
      return;
    }
    if (!buffer.add(event)) {
      closed = true;
      response.reset();
      return;
    }
    response.drainHandler(v -> drain());
  }

  private void drain() {
    while (!closed && !snapshotting && !response.writeQueueFull()) {
      Event next = buffer.poll();
      if (next == null) {
        return;
      }
      write(frame(next));
    }
    if (!buffer.isEmpty()) {
      response.drainHandler(v -> drain());
    }
  }

  private void write(String text) {
    if (!closed) {
      response.write(text);
    }
  }

  static String frame(Event event) {
    return "event: " + event.type() + "\nid: " + event.seq() + "\ndata: " + event.item().encode() + "\n\n";
  }

  private static Long lastEventId(RoutingContext ctx) {
    String header = ctx.request().getHeader("Last-Event-ID");
    if (header == null || header.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(header.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
