package dev.gantry.bench;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives one target (engine or gateway) from its own event loops with concurrent streams, in a load
 * process of its own ({@link StreamLoad}); records latencies in nanoseconds.
 */
final class LoadClient {

  /** Where requests go and the bearer token they carry. */
  record Target(String name, int port, String authorization) {
  }

  /** Sorted samples in nanoseconds, how many requests failed, and the seconds measured. */
  record Samples(long[] sorted, long failures, double seconds) {

    double millis(double quantile) {
      return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, quantile * sorted.length)] / 1e6;
    }

    double perSecond() {
      return sorted.length / seconds;
    }
  }

  private static final Buffer STREAM = Buffer.buffer(
      "{\"model\":\"bench\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

  private final Vertx vertx;
  private final HttpClient client;
  private final Target target;

  LoadClient(Vertx vertx, Target target, int connections) {
    this.vertx = vertx;
    this.target = target;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        .setDefaultHost("127.0.0.1").setDefaultPort(target.port()), new PoolOptions().setHttp1MaxSize(connections));
  }

  /** {@code concurrency} loops of streams: time to the first event of each, and the gaps between its events. */
  Samples[] streams(int concurrency, Duration duration) {
    Recorder firstTokens = new Recorder();
    Recorder gaps = new Recorder();
    long end = System.nanoTime() + duration.toNanos();
    Promise<Void> done = Promise.promise();
    AtomicLong running = new AtomicLong(concurrency);
    for (int i = 0; i < concurrency; i++) {
      vertx.runOnContext(v -> streamLoop(end, firstTokens, gaps, () -> {
        if (running.decrementAndGet() == 0) {
          done.complete();
        }
      }));
    }
    done.future().await();
    return new Samples[] {firstTokens.samples(duration), gaps.samples(duration)};
  }

  private void streamLoop(long end, Recorder firstTokens, Recorder gaps, Runnable finished) {
    if (System.nanoTime() >= end) {
      finished.run();
      return;
    }
    long start = System.nanoTime();
    long[] last = {0};
    client.request(options()).compose(request -> request.send(STREAM)).compose(response -> {
      response.handler(chunk -> {
        long now = System.nanoTime();
        if (last[0] == 0) {
          firstTokens.add(now - start);
        } else {
          gaps.add(now - last[0]);
        }
        last[0] = now;
      });
      return response.end();
    }).onComplete(ar -> {
      if (ar.failed()) {
        firstTokens.add(-1);
      }
      streamLoop(end, firstTokens, gaps, finished);
    });
  }

  private RequestOptions options() {
    return new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/chat/completions")
        .putHeader("Authorization", target.authorization()).putHeader("Content-Type", "application/json");
  }

  Target target() {
    return target;
  }

  void close() {
    client.close().await();
  }

  /** Latencies from many event loops; a negative sample counts a failure. */
  private static final class Recorder {
    private long[] values = new long[1 << 16];
    private int size;
    private long failures;

    synchronized void add(long nanos) {
      if (nanos < 0) {
        failures++;
        return;
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = nanos;
    }

    synchronized Samples samples(Duration duration) {
      long[] sorted = Arrays.copyOf(values, size);
      Arrays.sort(sorted);
      return new Samples(sorted, failures, duration.toNanos() / 1e9);
    }
  }
}
