package dev.gantry.benchmark;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * Drives one load profile against the gateway ({@code POST /v1/chat/completions} on this node, as any
 * client would, with a key of its own), on one Vert.x context: back to back from {@code concurrency}
 * workers, or arrivals at a rate (fixed or Poisson) that wait for one of {@code concurrency} slots. A
 * streamed answer is timed at its first chunk with text (time to first token) and between chunks
 * (inter-token latency); output tokens are the answer's usage, else the chunks with text.
 */
final class BenchmarkRun {

  private final Vertx vertx;
  private final HttpClient client;
  private final String host;
  private final int port;
  private final String key;
  private final String model;
  private final LoadProfile profile;
  private final Random random;
  private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
  private final Deque<Long> waiting = new ArrayDeque<>();
  private final Promise<List<Sample>> done = Promise.promise();
  private long startNanos;
  private long deadlineNanos;
  private int issued;
  private int inFlight;
  private boolean cancelled;
  private long arrivalTimer = -1;

  BenchmarkRun(Vertx vertx, String host, int port, String key, String model, LoadProfile profile, long seed) {
    this.vertx = vertx;
    this.host = host;
    this.port = port;
    this.key = key;
    this.model = model;
    this.profile = profile;
    this.random = new Random(seed);
    this.client = vertx.createHttpClient(new HttpClientOptions().setIdleTimeout(300).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(profile.concurrency()));
  }

  /** Runs on the caller's context; completes with every request's sample when the last one ended. */
  Future<List<Sample>> start() {
    startNanos = System.nanoTime();
    deadlineNanos = profile.durationSeconds() > 0 ? startNanos + profile.durationSeconds() * 1_000_000_000L : Long.MAX_VALUE;
    if (profile.rate() == null) {
      for (int i = 0; i < profile.concurrency(); i++) {
        next();
      }
    } else {
      arrive();
    }
    return done.future().onComplete(x -> client.close());
  }

  /** Stops issuing; requests in flight finish and count. */
  void cancel() {
    cancelled = true;
    vertx.cancelTimer(arrivalTimer);
    waiting.clear();
    finishIfIdle();
  }

  int completed() {
    return samples.size();
  }

  double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  private boolean more() {
    return !cancelled && issued < profile.requests() && System.nanoTime() < deadlineNanos;
  }

  /** Closed loop: a worker sends its next request as its last one ends. */
  private void next() {
    if (!more()) {
      finishIfIdle();
      return;
    }
    send(issued++);
  }

  /** Open loop: an arrival now, the next one after a fixed or exponential gap. */
  private void arrive() {
    if (!more()) {
      finishIfIdle();
      return;
    }
    waiting.add((long) issued++);
    dispatch();
    arrivalTimer = vertx.setTimer(Math.max(1, profile.nextGapNanos(random) / 1_000_000), t -> arrive());
  }

  private void dispatch() {
    while (!waiting.isEmpty() && inFlight < profile.concurrency()) {
      send(waiting.poll().intValue());
    }
  }

  private void finishIfIdle() {
    if (inFlight == 0 && (waiting.isEmpty() || cancelled) && !more()) {
      done.tryComplete(samples());
    }
  }

  private void send(int index) {
    inFlight++;
    long sent = System.nanoTime();
    JsonObject body = new JsonObject().put("model", model)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", profile.prompt(index, random))))
        .put("max_tokens", profile.maxTokens().pick(random)).put("stream", profile.stream());
    if (profile.stream()) {
      body.put("stream_options", new JsonObject().put("include_usage", true));
    }
    Timing timing = new Timing(sent);
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port)
            .setURI("/v1/chat/completions").putHeader("Authorization", "Bearer " + key)
            .putHeader("Content-Type", "application/json").setIdleTimeout(300_000))
        .compose(request -> request.send(body.toBuffer()))
        .compose(response -> read(response, timing))
        .onComplete(result -> {
          double latency = (System.nanoTime() - sent) / 1e6;
          double start = (sent - startNanos) / 1e6;
          if (result.succeeded()) {
            samples.add(new Sample(start, timing.status, timing.ttftMs(), latency, timing.tokens(), timing.meanGapMs(),
                timing.status == 200 ? null : timing.error));
          } else {
            samples.add(new Sample(start, 0, Double.NaN, latency, 0, Double.NaN, String.valueOf(result.cause().getMessage())));
          }
          inFlight--;
          if (profile.rate() == null) {
            next();
          } else {
            dispatch();
            finishIfIdle();
          }
        });
  }

  private Future<Void> read(HttpClientResponse response, Timing timing) {
    timing.status = response.statusCode();
    if (response.statusCode() != 200 || !profile.stream()) {
      return response.body().map(body -> {
        if (response.statusCode() != 200) {
          timing.error = "HTTP " + response.statusCode() + ": " + message(body);
        } else {
          timing.usage(new JsonObject(body).getJsonObject("usage"));
        }
        return null;
      });
    }
    StringBuilder pending = new StringBuilder();
    response.handler(chunk -> {
      pending.append(chunk.toString());
      int newline;
      while ((newline = pending.indexOf("\n")) >= 0) {
        String line = pending.substring(0, newline).trim();
        pending.delete(0, newline + 1);
        if (line.startsWith("data:") && !line.endsWith("[DONE]")) {
          timing.event(new JsonObject(line.substring(5).trim()));
        }
      }
    });
    return response.end();
  }

  private static String message(Buffer body) {
    try {
      JsonObject error = new JsonObject(body).getJsonObject("error");
      return error == null ? body.toString() : error.getString("message");
    } catch (RuntimeException e) {
      return body.length() > 200 ? body.getString(0, 200) : body.toString();
    }
  }

  /** What one request's answer showed as it arrived. */
  private static final class Timing {
    private final long sent;
    private int status;
    private String error;
    private long firstToken = -1;
    private long lastToken = -1;
    private int textChunks;
    private Integer usageTokens;

    Timing(long sent) {
      this.sent = sent;
    }

    void event(JsonObject event) {
      usage(event.getJsonObject("usage"));
      JsonArray choices = event.getJsonArray("choices");
      if (choices == null || choices.isEmpty()) {
        return;
      }
      JsonObject delta = choices.getJsonObject(0).getJsonObject("delta");
      String text = delta == null ? null : delta.getString("content");
      if (text == null || text.isEmpty()) {
        return;
      }
      long now = System.nanoTime();
      if (firstToken < 0) {
        firstToken = now;
      }
      lastToken = now;
      textChunks++;
    }

    void usage(JsonObject usage) {
      if (usage != null && usage.getInteger("completion_tokens") != null) {
        usageTokens = usage.getInteger("completion_tokens");
      }
    }

    int tokens() {
      return usageTokens != null ? usageTokens : textChunks;
    }

    double ttftMs() {
      return firstToken < 0 ? Double.NaN : (firstToken - sent) / 1e6;
    }

    double meanGapMs() {
      return textChunks < 2 ? Double.NaN : (lastToken - firstToken) / 1e6 / (textChunks - 1);
    }
  }
}
