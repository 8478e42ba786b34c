package dev.gantry.bench;

import io.vertx.core.Future;
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
 * Drives one target (engine, gateway or nginx) from its own event loops: closed-loop requests at a
 * concurrency, open-loop requests at a rate, and concurrent streams; records latencies in nanoseconds.
 */
final class LoadClient {

  /** Where requests go and the bearer token they carry. */
  record Target(String name, int port, String authorization) {
  }

  /**
   * Sorted samples in nanoseconds, how many requests failed, the seconds measured, and the CPU time per
   * request (µs) of this JVM (load plus, for the gateway, the node) and of an external proxy process.
   */
  record Samples(long[] sorted, long failures, double seconds, double jvmCpuMicros, double proxyCpuMicros) {

    Samples withCpu(long jvmCpuNanos, long proxyCpuNanos, long requests) {
      return new Samples(sorted, failures, seconds, jvmCpuNanos / 1e3 / requests, proxyCpuNanos / 1e3 / requests);
    }

    double millis(double quantile) {
      return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, quantile * sorted.length)] / 1e6;
    }

    double perSecond() {
      return sorted.length / seconds;
    }
  }

  private static final Buffer CHAT = Buffer.buffer("{\"model\":\"bench\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
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

  /** {@code concurrency} loops that each send the next request when the last one is answered. */
  Samples closedLoop(int concurrency, Duration duration) {
    Recorder latencies = new Recorder();
    long end = System.nanoTime() + duration.toNanos();
    Promise<Void> done = Promise.promise();
    AtomicLong running = new AtomicLong(concurrency);
    for (int i = 0; i < concurrency; i++) {
      vertx.runOnContext(v -> loop(end, latencies, () -> {
        if (running.decrementAndGet() == 0) {
          done.complete();
        }
      }));
    }
    done.future().await();
    return latencies.samples(duration);
  }

  private void loop(long end, Recorder latencies, Runnable finished) {
    if (System.nanoTime() >= end) {
      finished.run();
      return;
    }
    long start = System.nanoTime();
    chat().onComplete(ar -> {
      latencies.add(ar.succeeded() ? System.nanoTime() - start : -1);
      loop(end, latencies, finished);
    });
  }

  /** Requests started every millisecond to reach {@code perSecond}, whatever the answers take. */
  Samples openLoop(int perSecond, Duration duration) {
    Recorder latencies = new Recorder();
    long total = perSecond * duration.toSeconds();
    AtomicLong answered = new AtomicLong();
    Promise<Void> done = Promise.promise();
    long[] sent = {0};
    long started = System.nanoTime();
    vertx.setPeriodic(1, timer -> {
      long due = Math.min(total, (System.nanoTime() - started) * perSecond / 1_000_000_000L);
      for (; sent[0] < due; sent[0]++) {
        long start = System.nanoTime();
        chat().onComplete(ar -> {
          latencies.add(ar.succeeded() ? System.nanoTime() - start : -1);
          if (answered.incrementAndGet() == total) {
            done.complete();
          }
        });
      }
      if (sent[0] == total) {
        vertx.cancelTimer(timer);
      }
    });
    done.future().await();
    return latencies.samples(duration);
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

  private Future<Buffer> chat() {
    return client.request(options()).compose(request -> request.send(CHAT)).compose(response -> response.body()
        .compose(body -> response.statusCode() == 200 ? Future.succeededFuture(body)
            : Future.failedFuture("HTTP " + response.statusCode() + ": " + body)));
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
      return new Samples(sorted, failures, duration.toNanos() / 1e9, 0, 0);
    }
  }
}
