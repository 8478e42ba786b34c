package dev.gantry.metering;

import dev.gantry.common.Ids;
import dev.gantry.testing.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load of non-streamed chat completions on a node, from {@code threads} threads, each
 * request with its own {@code X-Request-Id}: remembers the ids answered with a 2xx and counts (and keeps
 * the first few of) the failures.
 */
final class UsageLoad implements AutoCloseable {

  private static final String BODY = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Set<String> answered = ConcurrentHashMap.newKeySet();
  private final AtomicLong failed = new AtomicLong();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  private UsageLoad() {
  }

  static UsageLoad start(int port, String key, String model, int threadCount) {
    UsageLoad load = new UsageLoad();
    HttpRequest.Builder template = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(String.format(BODY, model)));
    for (int i = 0; i < threadCount; i++) {
      Thread thread = new Thread(() -> load.run(template), "usage-load-" + i);
      thread.setDaemon(true);
      load.threads.add(thread);
      thread.start();
    }
    return load;
  }

  private void run(HttpRequest.Builder template) {
    while (running) {
      String id = "load-" + Ids.random(16);
      try {
        HttpResponse<String> response = http.send(template.copy().header("X-Request-Id", id).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 == 2) {
          answered.add(id);
        } else {
          fail(id + ": HTTP " + response.statusCode() + " " + response.body());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        fail(id + ": " + e);
      }
    }
  }

  private void fail(String what) {
    if (failed.incrementAndGet() <= 5) {
      failures.add(what);
    }
  }

  void awaitAnswered(long count, Duration timeout) {
    Eventually.await(timeout, () -> {
      if (answered.size() < count) {
        throw new AssertionError(answered.size() + " of " + count + " requests answered; failures: " + failures);
      }
    });
  }

  Set<String> answered() {
    return answered;
  }

  long failed() {
    return failed.get();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  /** Stops sending and waits for the requests in flight to finish. */
  void stop() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join(35_000);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
