package dev.gantry.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load generator in a process of its own (JDK only, so {@code java -cp target/test-classes} runs it):
 * {@code LoadProcess <stopAtEpochMs> <connectionsPerUrl> <apiKey> <body> <url>...} posts {@code body} to each
 * URL over its own connections, back to back, until the stop time, then prints one line per answer status
 * ({@code status <code> <count>}), a line {@code transport-errors <count>}, and for the first few 429s their
 * rate-limit headers ({@code refused retry-after=.. limit=.. remaining=.. reset=..}). Tests start it with
 * {@link #start}, so that the load does not run in the JVM of the processes under test.
 */
public final class LoadProcess {

  private LoadProcess() {
  }

  /** Starts the generator as a child process; its output goes to {@code output} once it ends. */
  public static Process start(java.nio.file.Path output, long stopAtMs, int connectionsPerUrl, String key, String body,
      List<String> urls) throws java.io.IOException {
    List<String> command = new java.util.ArrayList<>(List.of(GantryProcess.java(), "-Xmx128m", "-cp",
        System.getProperty("gantry.test-classes", java.nio.file.Path.of("target", "test-classes").toString()),
        LoadProcess.class.getName(), String.valueOf(stopAtMs), String.valueOf(connectionsPerUrl), key, body));
    command.addAll(urls);
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
  }

  public static void main(String[] args) throws Exception {
    long stopAt = Long.parseLong(args[0]);
    int connections = Integer.parseInt(args[1]);
    String key = args[2];
    String body = args[3];
    List<String> urls = List.of(args).subList(4, args.length);
    Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    AtomicLong transportErrors = new AtomicLong();
    List<String> refused = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    List<Thread> threads = new java.util.ArrayList<>();
    for (String url : urls) {
      for (int c = 0; c < connections; c++) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
            .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        Thread thread = new Thread(() -> {
          while (System.currentTimeMillis() < stopAt) {
            try {
              HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
              statuses.computeIfAbsent(answer.statusCode(), s -> new AtomicLong()).incrementAndGet();
              if (answer.statusCode() == 429 && refused.size() < 20) {
                refused.add("refused retry-after=" + header(answer, "Retry-After") + " limit="
                    + header(answer, "x-ratelimit-limit-requests") + " remaining="
                    + header(answer, "x-ratelimit-remaining-requests") + " reset="
                    + header(answer, "x-ratelimit-reset-requests") + " code="
                    + (answer.body().contains("rate_limit_exceeded") ? "rate_limit_exceeded" : "other"));
              }
            } catch (java.io.IOException e) {
              transportErrors.incrementAndGet();
            } catch (InterruptedException e) {
              return;
            }
          }
        });
        thread.start();
        threads.add(thread);
      }
    }
    for (Thread thread : threads) {
      thread.join();
    }
    statuses.forEach((status, count) -> System.out.println("status " + status + " " + count));
    System.out.println("transport-errors " + transportErrors.get());
    refused.forEach(System.out::println);
  }

  private static String header(HttpResponse<String> answer, String name) {
    return answer.headers().firstValue(name).orElse("-");
  }
}
