package dev.gantry.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import dev.gantry.testmodels.TestModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three in-JVM nodes; the node serving a model's only replica is stopped gracefully while chat requests
 * keep arriving at another node: the replica starts elsewhere before the old one stops, no request
 * fails, the stopping node starts no engine, and it stays listed as {@code stopped}.
 */
class GracefulStopTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static TestNodes nodes;
  private static Path dir;
  private static Path model;

  @BeforeAll
  static void start() throws Exception {
    dir = TestFiles.tempDir("gantry-graceful-");
    model = TestModels.deterministic(dir.resolve("deterministic.gguf"));
    nodes = TestNodes.start(3);
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
    TestFiles.deleteRecursively(dir);
  }

  private static JsonArray instances(Api api) {
    return Api.expect(api.get("/v2/model-instances?model_name=graceful"), 200).getJsonArray("items");
  }

  private static int chat(String url, String key) {
    JsonObject body = new JsonObject().put("model", "graceful")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions"))
          .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
          .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains(TestModels.REPLY) ? 200
          : response.statusCode() == 200 ? 299 : response.statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  @Test
  void theReplicaMovesBeforeItsNodeStopsAndNoRequestFails() throws Exception {
    Api admin = nodes.admin(1);
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", "graceful").put("backend", "builtin")
        .put("local_path", model.toString())), 201);
    Eventually.await(Duration.ofSeconds(90), () ->
        assertThat(instances(admin)).singleElement().satisfies(i -> assertThat(((JsonObject) i).getString("state"))
            .isEqualTo("running")));
    JsonObject first = instances(admin).getJsonObject(0);
    String hostName = first.getString("node_name");
    int host = List.of(nodes.name(1), nodes.name(2), nodes.name(3)).indexOf(hostName) + 1;
    int entry = host % 3 + 1;
    Api entryAdmin = nodes.admin(entry);
    String key = entryAdmin.createKey("graceful-load", "*").getString("value");
    assertThat(chat(nodes.url(entry), key)).isEqualTo(200);

    AtomicBoolean loading = new AtomicBoolean(true);
    AtomicInteger served = new AtomicInteger();
    ConcurrentLinkedQueue<Integer> failures = new ConcurrentLinkedQueue<>();
    CompletableFuture<?>[] clients = new CompletableFuture<?>[2];
    for (int c = 0; c < clients.length; c++) {
      clients[c] = CompletableFuture.runAsync(() -> {
        while (loading.get()) {
          int status = chat(nodes.url(entry), key);
          if (status == 200) {
            served.incrementAndGet();
          } else {
            failures.add(status);
          }
        }
      });
    }
    Eventually.await(Duration.ofSeconds(10), () -> assertThat(served.get()).isGreaterThan(3));

    long signal = System.nanoTime();
    CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> nodes.stopNode(host));
    Duration moved = Eventually.await(Duration.ofSeconds(60), () -> assertThat(instances(entryAdmin))
        .anySatisfy(i -> {
          assertThat(((JsonObject) i).getString("node_name")).isNotEqualTo(hostName);
          assertThat(((JsonObject) i).getString("state")).isEqualTo("running");
        }));
    stopping.get(60, TimeUnit.SECONDS);
    long stoppedMs = (System.nanoTime() - signal) / 1_000_000;
    int servedAtStop = served.get();
    Eventually.await(Duration.ofSeconds(10), () -> assertThat(served.get()).isGreaterThan(servedAtStop + 3));
    loading.set(false);
    CompletableFuture.allOf(clients).get(60, TimeUnit.SECONDS);
    System.out.printf("graceful stop of the serving node: replica running elsewhere after %d ms, node stopped after "
        + "%d ms, %d requests served, %d failed%n", moved.toMillis(), stoppedMs, served.get(), failures.size());

    assertThat(failures).as("statuses of failed requests during the stop").isEmpty();
    assertThat(instances(entryAdmin)).singleElement().satisfies(i ->
        assertThat(((JsonObject) i).getString("node_name")).isNotEqualTo(hostName));
    JsonObject node = Api.expect(entryAdmin.get("/v2/nodes/" + hostName), 200);
    assertThat(node.getString("state")).as("a graceful stop is not a crash").isEqualTo("stopped");
    assertThat(node.getString("state_message")).contains("graceful");
    assertThat(Api.expect(entryAdmin.get("/v2/nodes"), 200).getJsonArray("items").stream()
        .map(n -> ((JsonObject) n).getString("state"))).doesNotContain("unreachable");

    assertThat(entryAdmin.delete("/v2/nodes/" + hostName).status()).as("a stopped node can be removed").isEqualTo(204);
    nodes.startNode(host);
  }
}
