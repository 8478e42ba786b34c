package dev.gantry.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;

/**
 * Many chat completions through the gateway, half streamed, at most {@code concurrency} at a time, each
 * with its own request id ({@code prefix-n}); tells how many got each status, and which answers were
 * wrong (a status other than 200, a transport error or a body the check refuses).
 */
final class LoadRun {

  final Map<Integer, Integer> statuses = new TreeMap<>();
  final List<String> wrong = new ArrayList<>();

  static LoadRun send(String baseUrl, String key, String model, String prefix, int requests, int concurrency,
      JsonObject extra, Predicate<String> wholeOk, Predicate<String> streamOk) throws InterruptedException {
    LoadRun run = new LoadRun();
    HttpClient http = HttpClient.newHttpClient();
    Semaphore slots = new Semaphore(concurrency);
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      boolean stream = i % 2 == 0;
      String body = new JsonObject().put("model", model).put("stream", stream)
          .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")))
          .mergeIn(extra).encode();
      HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
          .POST(HttpRequest.BodyPublishers.ofString(body)).header("Authorization", "Bearer " + key)
          .header("Content-Type", "application/json").header("X-Request-Id", prefix + "-" + i).build();
      slots.acquire();
      all.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
        slots.release();
        run.record(response, error, stream ? streamOk : wholeOk);
      }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    return run;
  }

  private synchronized void record(HttpResponse<String> response, Throwable error, Predicate<String> ok) {
    int status = response == null ? -1 : response.statusCode();
    statuses.merge(status, 1, Integer::sum);
    if (error != null) {
      wrong.add("transport error: " + error);
    } else if (status != 200 || !ok.test(response.body())) {
      wrong.add(status + " " + response.body().substring(0, Math.min(300, response.body().length())));
    }
  }

  synchronized int count(int status) {
    return statuses.getOrDefault(status, 0);
  }

  synchronized int serverErrors() {
    return statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToInt(Map.Entry::getValue).sum();
  }
}
