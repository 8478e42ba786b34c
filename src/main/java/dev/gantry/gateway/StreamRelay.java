package dev.gantry.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;

/**
 * Relays an engine's event stream to the client as it arrives: whole events, unchanged bytes, the
 * engine paused while the client's write queue is full. The client's response starts with the first
 * event, so an engine that fails before it can still be retried elsewhere; one that fails after it
 * ends the stream with an error event and {@code [DONE]}. For a request that came in another protocol
 * (Anthropic Messages, OpenAI Responses) the events are rewritten by its {@link ChatDialect.StreamTranslator}
 * instead of passed unchanged. An Anthropic provider's events for a chat request are first turned into chat
 * chunks ({@link AnthropicProviderStream}).
 */
final class StreamRelay {

  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

  private final RoutingContext ctx;
  private final HttpClientResponse upstream;
  private final StreamTally tally;
  private final UsageMeter meter;
  private final InstanceLoad.Lease lease;
  private final String model;
  private final Upstream instance;
  private final Consumer<String> failedBeforeFirstEvent;
  private final ChatDialect.StreamTranslator translator;
  private final AnthropicProviderStream fromAnthropic;
  private final SseSplitter splitter = new SseSplitter();
  private boolean finished;

  StreamRelay(RoutingContext ctx, HttpClientResponse upstream, StreamTally tally, UsageMeter meter,
      InstanceLoad.Lease lease, String model, Upstream instance, Consumer<String> failedBeforeFirstEvent,
      ChatDialect.StreamTranslator translator, AnthropicProviderStream fromAnthropic) {
    this.ctx = ctx;
    this.upstream = upstream;
    this.tally = tally;
    this.meter = meter;
    this.lease = lease;
    this.model = model;
    this.instance = instance;
    this.failedBeforeFirstEvent = failedBeforeFirstEvent;
    this.translator = translator;
    this.fromAnthropic = fromAnthropic;
  }

  void start() {
    upstream.exceptionHandler(this::broken);
    upstream.handler(this::chunk);
    upstream.endHandler(v -> completed());
  }

  /** The attempt was abandoned before the client got a byte (a route's deadline): nothing more is relayed. */
  void cancel() {
    if (!finished) {
      finished = true;
      lease.release();
    }
  }

  private void chunk(Buffer chunk) {
    if (finished || meter.ended() || ctx.response().closed()) {
      return;
    }
    Buffer out = null;
    boolean joined = false;
    for (Buffer event : splitter.feed(chunk)) {
      if (fromAnthropic != null) {
        Buffer converted = fromAnthropic.convert(event);
        if (converted == null) {
          continue;
        }
        for (Buffer chat : new SseSplitter().feed(converted)) {
          Buffer relayed = relayed(chat);
          if (relayed != null) {
            out = out == null ? Buffer.buffer().appendBuffer(relayed) : out.appendBuffer(relayed);
          }
        }
        continue;
      }
      if ((event = relayed(event)) == null) {
        continue;
      }
      if (out == null) {
        out = event;
      } else {
        out = joined ? out.appendBuffer(event) : Buffer.buffer(out.length() * 2).appendBuffer(out).appendBuffer(event);
        joined = true;
      }
    }
    if (out == null) {
      return;
    }
    HttpServerResponse client = open();
    if (tally.done()) {
      recordAnswered();
    }
    client.write(out);
    if (!client.ended() && client.writeQueueFull()) { // ended under this write when the client's HTTP/2 connection broke
      upstream.pause();
      client.drainHandler(v -> upstream.resume());
    }
  }

  /** What the client gets of one engine event (after the tally and the dialect), or null for nothing. */
  private Buffer relayed(Buffer event) {
    if (!tally.accept(event)) {
      return null;
    }
    return translator == null ? event : translator.translate(event, tally);
  }

  private void completed() {
    if (finished) {
      return;
    }
    finished = true;
    lease.release();
    if (meter.ended() || ctx.response().closed()) {
      return;
    }
    HttpServerResponse client = open();
    Buffer closing = translator == null ? null : translator.finish(tally);
    recordAnswered();
    if (closing != null) {
      client.end(closing);
      return;
    }
    client.end();
  }

  /** The usage record is journaled before the stream's last event (or its end) reaches the client. */
  private void recordAnswered() {
    if (tally.engineError()) {
      meter.result(502, UsageMeter.ERROR);
    }
    meter.complete(200);
  }

  private void broken(Throwable error) {
    if (finished) {
      return;
    }
    finished = true;
    lease.release();
    HttpServerResponse client = ctx.response();
    if (meter.ended() || client.closed()) {
      return;
    }
    if (!client.headWritten()) {
      failedBeforeFirstEvent.accept("broke off before its first event (" + ProxiedRequest.describe(error) + ")");
      return;
    }
    meter.result(502, UsageMeter.ERROR);
    meter.complete(502);
    String problem = "the upstream serving model '" + model + "' (" + instance.describe() + ") stopped mid-stream (" + ProxiedRequest.describe(error) + "); the answer is incomplete";
    if (translator != null) {
      client.end(translator.error(problem));
      return;
    }
    JsonObject event = new JsonObject().put("error", new JsonObject()
        .put("message", problem)
        .put("type", "server_error").putNull("param").put("code", "upstream_error"));
    client.write(Buffer.buffer("data: " + event.encode() + "\n\n"));
    client.end(DONE);
  }

  /** The client's response, its head written on first use. */
  private HttpServerResponse open() {
    HttpServerResponse client = ctx.response();
    if (!client.headWritten()) {
      meter.firstToken();
      client.setStatusCode(200).setChunked(true)
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
          .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY)
          .putHeader("X-Accel-Buffering", "no");
    }
    return client;
  }
}
