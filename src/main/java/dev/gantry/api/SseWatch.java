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
 * changes; every event has an id of its own. Writes wait for the socket (back-pressure); while it is slow, changes coalesce per item.
 */
public final class SseWatch {

  public static final long KEEP_ALIVE_MS = 15_000;
  static final int BUFFER_LIMIT = 10_000;

  private final HttpServerResponse response;
  private final WatchHub hub;
  private final Context context;
  private final Predicate<JsonObject> visible;
  private final UnaryOperator<JsonObject> view;
  private final CoalescingBuffer buffer = new CoalescingBuffer(BUFFER_LIMIT);
  private boolean closed;
  private boolean snapshotting;
  /** The id of the last event written: ids on one stream only go up. */
  private long lastId = Long.MIN_VALUE;
  private Runnable cleanup = () -> { };

  private SseWatch(HttpServerResponse response, WatchHub hub, Context context, Predicate<JsonObject> visible,
      UnaryOperator<JsonObject> view) {
    this.response = response;
    this.hub = hub;
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
    SseWatch watch = new SseWatch(response, hub, Vertx.currentContext(), visible, view);
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
    snapshot.get().onSuccess(items -> watch.writeSnapshot(snapshotSeq, items))
        .onFailure(err -> watch.write("event: ERROR\ndata: " + new JsonObject()
            .put("message", String.valueOf(err.getMessage())).encode() + "\n\n"))
        .onComplete(ar -> {
          watch.snapshotting = false;
          watch.drain();
        });
  }

  /**
   * A CREATED per visible item, each with an id of its own from the hub ({@link WatchHub#snapshotIds}):
   * resuming after the last one replays the changes since {@code takenAt}.
   */
  private void writeSnapshot(long takenAt, List<JsonObject> items) {
    List<JsonObject> shown = items.stream().filter(visible).toList();
    long id = hub.snapshotIds(shown.size(), takenAt);
    for (JsonObject item : shown) {
      send(new Event(id++, "CREATED", "", view.apply(item)));
    }
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

  /**
   * Live events wait (coalescing) until the snapshot is written, so no item arrives newer-then-older,
   * and coalesce while the socket is slow.
   */
  private void offer(Event seen) {
    if (closed || !visible.test(seen.item())) {
      return;
    }
    Event event = new Event(seen.seq(), seen.type(), seen.id(), view.apply(seen.item()));
    if (!snapshotting && buffer.isEmpty() && !response.writeQueueFull()) {
      send(event);
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
      send(next);
    }
    if (!buffer.isEmpty()) {
      response.drainHandler(v -> drain());
    }
  }

  /**
   * Writes an event. One numbered before an event already written (a change that came while the
   * snapshot loaded, written after the snapshot's items) goes out under a new id from the hub
   * ({@link WatchHub#alias}), so that ids on a stream only go up and each still resumes correctly.
   */
  private void send(Event event) {
    Event numbered = event.seq() > lastId ? event
        : new Event(hub.alias(event.seq()), event.type(), event.id(), event.item());
    lastId = numbered.seq();
    write(frame(numbered));
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
