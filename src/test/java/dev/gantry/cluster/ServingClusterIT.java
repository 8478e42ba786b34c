package dev.gantry.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.ProcessCluster;
import dev.gantry.testmodels.TestModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Serving across three real node processes with a real llama-server engine")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServingClusterIT {

  private static final int NODES = 3;
  private static final String PASSWORD = "serving-Admin-pw-9";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension
  static final ProcessCluster cluster = ProcessCluster.of("serving", NODES, PASSWORD)
      .withArgs(i -> List.of("--llama-server", System.getenv("GANTRY_LLAMA_SERVER"), "--reschedule-grace", "3"))
      .withEnginePorts(41000);
  private static Path model;

  @BeforeAll
  static void startCluster() throws Exception {
    assumeTrue(System.getenv("GANTRY_LLAMA_SERVER") != null, "GANTRY_LLAMA_SERVER is not set (scripts/test.sh sets it)");
    model = TestModels.deterministic(cluster.workDir().resolve("deterministic.gguf"));
    cluster.start(Duration.ofSeconds(120));
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  private static String url(int i) {
    return cluster.url(i);
  }

  private static HttpResponse<String> chat(int node, String key, String modelName) throws Exception {
    JsonObject body = new JsonObject().put("model", modelName)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));
    return HTTP.send(HttpRequest.newBuilder(URI.create(url(node) + "/v1/chat/completions"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject onlyInstance(Api api, String modelName) {
    JsonArray items = api.get("/v2/model-instances?model_name=" + modelName).items();
    assertThat(items).hasSize(1);
    return items.getJsonObject(0);
  }

  @Test
  @Order(2)
  @DisplayName("a replica on one node serves requests sent to another; killing its node re-places it and serving resumes, leaving no engine behind")
  void servesAcrossNodesAndSurvivesTheLossOfTheServingNode() throws Exception {
    int any = IntStream.rangeClosed(1, NODES).filter(i -> cluster.node(i).alive()).findFirst().orElseThrow();
    Api admin = cluster.admin(any);
    String key = admin.createKey("serving-key", "*").getString("value");
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", "det").put("backend", "llama.cpp")
        .put("local_path", model.toString())), 201);
    Eventually.await(Duration.ofSeconds(60), () ->
        assertThat(onlyInstance(admin, "det").getString("state")).isEqualTo("running"));
    JsonObject first = onlyInstance(admin, "det");
    int host = cluster.number(first.getString("node_name"));
    int entry = IntStream.rangeClosed(1, NODES).filter(i -> i != host && cluster.node(i).alive()).findFirst().orElseThrow();
    Api entryAdmin = admin.on(url(entry));

    HttpResponse<String> served = chat(entry, key, "det");
    assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
    assertThat(new JsonObject(served.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
        .getString("content")).isEqualTo(TestModels.REPLY);

    ProcessHandle wrapper = ProcessHandle.of(first.getLong("pid")).orElseThrow();
    List<ProcessHandle> engines = new ArrayList<>(wrapper.descendants().toList());
    engines.add(wrapper);
    long killedAt = System.nanoTime();
    cluster.node(host).kill();
    Eventually.await(Duration.ofSeconds(5), () -> {
      HttpResponse<String> meanwhile = chat(entry, key, "det");
      assertThat(meanwhile.statusCode()).as(meanwhile.body()).isEqualTo(503);
      assertThat(meanwhile.body()).contains("model 'det' has no running replica");
    });
    System.out.printf("serving node killed: node %d stopped routing to its replica after %d ms%n", entry,
        (System.nanoTime() - killedAt) / 1_000_000);

    Eventually.await(Duration.ofSeconds(60), () -> {
      JsonObject replaced = onlyInstance(entryAdmin, "det");
      assertThat(replaced.getString("node_name")).isNotEqualTo(first.getString("node_name"));
      assertThat(replaced.getString("state")).isEqualTo("running");
    });
    System.out.printf("replica re-placed and running after %d ms%n", (System.nanoTime() - killedAt) / 1_000_000);
    HttpResponse<String> again = chat(entry, key, "det");
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(again.body()).contains(TestModels.REPLY);

    Eventually.await(Duration.ofSeconds(20), () -> assertThat(engines).noneMatch(ProcessHandle::isAlive));
    Api.expect(entryAdmin.patch("/v2/models/det", new JsonObject().put("replicas", 0)), 200);
    Eventually.await(Duration.ofSeconds(30), () -> assertThat(ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(model.toString()))).isEmpty());
  }

  @Test
  @Order(1)
  @DisplayName("SIGTERM to the node serving a replica under a chat load: the replica runs elsewhere before the old one "
      + "stops, no request fails, the stopping node starts no engine and is listed as stopped")
  void aGracefulStopMovesTheReplicaWithoutAFailedRequest() throws Exception {
    Api admin = cluster.admin(1);
    String key = admin.createKey("graceful-key", "*").getString("value");
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", "graceful").put("backend", "llama.cpp")
        .put("local_path", model.toString())), 201);
    Eventually.await(Duration.ofSeconds(60), () ->
        assertThat(onlyInstance(admin, "graceful").getString("state")).isEqualTo("running"));
    String hostName = onlyInstance(admin, "graceful").getString("node_name");
    int host = cluster.number(hostName);
    int entry = host % NODES + 1;
    Api entryAdmin = admin.on(url(entry));

    java.util.concurrent.atomic.AtomicBoolean loading = new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
    java.util.Queue<String> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
    java.util.concurrent.CompletableFuture<?>[] clients = new java.util.concurrent.CompletableFuture<?>[3];
    for (int c = 0; c < clients.length; c++) {
      clients[c] = java.util.concurrent.CompletableFuture.runAsync(() -> {
        while (loading.get()) {
          try {
            HttpResponse<String> answer = chat(entry, key, "graceful");
            if (answer.statusCode() == 200 && answer.body().contains(TestModels.REPLY)) {
              served.incrementAndGet();
            } else {
              failures.add(answer.statusCode() + " " + answer.body());
            }
          } catch (Exception e) {
            failures.add(e.toString());
          }
        }
      });
    }
    Eventually.await(Duration.ofSeconds(10), () -> assertThat(served.get()).isGreaterThan(5));

    int linesBefore = cluster.node(host).output().split("\n").length;
    long signal = System.nanoTime();
    cluster.node(host).process().destroy();  // SIGTERM
    Duration moved = Eventually.await(Duration.ofSeconds(30), () -> {
      JsonArray all = entryAdmin.get("/v2/model-instances?model_name=graceful").items();
      assertThat(all.stream().map(o -> (JsonObject) o)).anySatisfy(i -> {
        assertThat(i.getString("node_name")).isNotEqualTo(hostName);
        assertThat(i.getString("state")).isEqualTo("running");
      });
    });
    assertThat(cluster.node(host).waitFor(60)).as("exit code after SIGTERM").isNotNull();
    long exitedMs = (System.nanoTime() - signal) / 1_000_000;
    int servedAtExit = served.get();
    Eventually.await(Duration.ofSeconds(10), () -> assertThat(served.get()).isGreaterThan(servedAtExit + 5));
    loading.set(false);
    java.util.concurrent.CompletableFuture.allOf(clients).get(60, java.util.concurrent.TimeUnit.SECONDS);
    System.out.printf("SIGTERM to the serving node: replica running elsewhere after %d ms, process exited after %d ms, "
        + "%d chat requests served, %d failed%n", moved.toMillis(), exitedMs, served.get(), failures.size());

    assertThat(failures).as("failed requests during the graceful stop").isEmpty();
    String[] lines = cluster.node(host).output().split("\n");
    List<String> afterSignal = List.of(lines).subList(Math.min(linesBefore, lines.length), lines.length);
    assertThat(afterSignal).as("log of the stopping node after SIGTERM").anyMatch(l -> l.contains("shutting down"))
        .noneMatch(l -> l.contains("engine started"));
    JsonObject node = Api.expect(entryAdmin.get("/v2/nodes/" + hostName), 200);
    assertThat(node.getString("state")).isEqualTo("stopped");
    Api.expect(entryAdmin.patch("/v2/models/graceful", new JsonObject().put("replicas", 0)), 200);
  }
}
