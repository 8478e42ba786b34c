package dev.gantry.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chat requests sent back to back by a few clients until stopped, each counted as served (200 whose body
 * holds the expected text) or failed (with its status and body): the load under which a test moves replicas.
 */
public final class ChatLoad implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger served = new AtomicInteger();
  private final Queue<String> failures = new ConcurrentLinkedQueue<>();
  private final CompletableFuture<?>[] clients;

  private ChatLoad(String url, String key, String model, String expected, int clientCount) {
    clients = new CompletableFuture<?>[clientCount];
    for (int c = 0; c < clientCount; c++) {
      clients[c] = CompletableFuture.runAsync(() -> {
        while (running.get()) {
          String failure = chat(url, key, model, expected);
          if (failure == null) {
            served.incrementAndGet();
          } else {
            failures.add(failure);
          }
        }
      });
    }
  }

  /** Starts {@code clients} clients sending to {@code url} (a node's base URL). */
  public static ChatLoad start(String url, String key, String model, String expected, int clients) {
    return new ChatLoad(url, key, model, expected, clients);
  }

  /** One chat request; null when it was served with the expected text, else what went wrong. */
  public static String chat(String url, String key, String model, String expected) {
    JsonObject body = new JsonObject().put("model", model)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions"))
          .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
          .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains(expected) ? null
          : response.statusCode() + " " + response.body();
    } catch (Exception e) {
      return e.toString();
    }
  }

  public int served() {
    return served.get();
  }

  /** Waits until {@code more} further requests were served (the load really runs). */
  public void awaitServed(int more, Duration deadline) {
    int from = served.get();
    Eventually.await(deadline, () -> org.assertj.core.api.Assertions.assertThat(served.get()).isGreaterThan(from + more));
  }

  /** Tells the clients to send nothing more, without waiting for their requests in flight. */
  public void halt() {
    running.set(false);
  }

  /** Stops the clients once their requests in flight ended; answers the failures. */
  public List<String> stop() throws Exception {
    halt();
    CompletableFuture.allOf(clients).get(60, TimeUnit.SECONDS);
    return List.copyOf(failures);
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
