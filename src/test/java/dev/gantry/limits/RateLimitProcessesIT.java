package dev.gantry.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.LoadProcess;
import dev.gantry.testing.ProcessCluster;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A key's rate limit on three real node processes under a load generator in a process of its own
 * ({@link LoadProcess}), spread over the three nodes for one whole 60 s window (windows are aligned to the
 * epoch): the requests admitted are within ±5 % of the limit, and every refusal is a 429 with
 * {@code Retry-After} and OpenAI's {@code x-ratelimit-*} headers. The model is an external provider's (a
 * stand-in in the test JVM, which is no node), so no engine has to start.
 */
class RateLimitProcessesIT {

  private static final int NODES = 3;
  private static final int LIMIT = 300;
  private static final long WINDOW_MS = 60_000;
  private static final String PASSWORD = "rate-Admin-pw-7";

  @RegisterExtension
  static final ProcessCluster cluster = ProcessCluster.of("rates", NODES, PASSWORD);
  private static Vertx vertx;
  private static HttpServer provider;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    String answer = new JsonObject().put("id", "c1").put("object", "chat.completion").put("model", "m")
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "stop")
            .put("message", new JsonObject().put("role", "assistant").put("content", "ok"))))
        .put("usage", new JsonObject().put("prompt_tokens", 1).put("completion_tokens", 1).put("total_tokens", 2))
        .encode();
    provider = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> request.response()
        .putHeader("Content-Type", "application/json").end(answer))).listen(0, "127.0.0.1").await();
    cluster.start(Duration.ofSeconds(120));
  }

  @AfterAll
  static void stop() {
    cluster.close();
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  void aKeysRequestsPerMinuteHoldWithinFivePercentAcrossThreeProcessesAndEvery429SaysWhenToRetry() throws Exception {
    Api admin = cluster.admin(1);
    Api.expect(admin.post("/v2/providers", new JsonObject().put("name", "stub").put("kind", "openai")
        .put("base_url", "http://127.0.0.1:" + provider.actualPort() + "/v1").put("credentials", new JsonArray().add("x"))
        .put("models", new JsonArray().add("m"))), 201);
    String key = admin.createKey(new JsonObject().put("name", "rated").put("scope", "inference")
        .put("limits", new JsonObject().put("requests_per_minute", LIMIT).put("window_seconds", 60))).getString("value");
    String body = new JsonObject().put("model", "stub/m").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "Hi"))).encode();
    for (int i = 1; i <= NODES; i++) {
      Api caller = admin.on(url(i)).withKey(key);
      Eventually.await(Duration.ofSeconds(10), () -> assertThat(caller.post("/v1/chat/completions",
          new JsonObject(body)).status()).as("every node knows the provider and the key").isEqualTo(200));
    }

    Eventually.await(Duration.ofSeconds(65), () -> assertThat(System.currentTimeMillis() % WINDOW_MS).isLessThan(1_000));
    long windowStart = System.currentTimeMillis() / WINDOW_MS * WINDOW_MS;
    Path output = cluster.workDir().resolve("load.txt");
    List<String> urls = IntStream.rangeClosed(1, NODES).mapToObj(i -> url(i) + "/v1/chat/completions").toList();
    Process load = LoadProcess.start(output, windowStart + WINDOW_MS - 2_000, 2, key, body, urls);
    assertThat(load.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)).as("the load generator ended").isTrue();

    List<String> lines = Files.readAllLines(output);
    Map<Integer, Long> statuses = new HashMap<>();
    long transportErrors = 0;
    List<String> refusals = new ArrayList<>();
    for (String line : lines) {
      String[] words = line.split(" ");
      if (words[0].equals("status")) {
        statuses.put(Integer.parseInt(words[1]), Long.parseLong(words[2]));
      } else if (words[0].equals("transport-errors")) {
        transportErrors = Long.parseLong(words[1]);
      } else if (words[0].equals("refused")) {
        refusals.add(line);
      }
    }
    long total = statuses.values().stream().mapToLong(Long::longValue).sum();
    System.out.printf("rate limit across %d processes: %s, %d transport errors, in one %d s window (limit %d)%n",
        NODES, statuses, transportErrors, WINDOW_MS / 1000, LIMIT);
    assertThat(statuses.keySet()).as("output: %s", lines).containsOnly(200, 429);
    assertThat(transportErrors).as("requests without an answer, of %d", total).isLessThanOrEqualTo(total / 50);
    assertThat(statuses.get(200)).as("admitted in one window").isBetween((long) Math.floor(LIMIT * 0.95),
        (long) Math.ceil(LIMIT * 1.05));
    assertThat(refusals).isNotEmpty().allSatisfy(line -> {
      assertThat(line).doesNotContain("retry-after=-").contains("limit=" + LIMIT, "code=rate_limit_exceeded");
      assertThat(line).doesNotContain("remaining=-", "reset=-");
    });
  }

  private static String url(int i) {
    return cluster.url(i);
  }
}
