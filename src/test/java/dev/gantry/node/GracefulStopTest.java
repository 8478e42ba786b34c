package dev.gantry.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.ChatLoad;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import dev.gantry.testmodels.TestModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three in-JVM nodes; the node serving a model's only replica is stopped gracefully while chat requests
 * keep arriving at another node: the replica starts elsewhere before the old one stops, no request
 * fails, the stopping node starts no engine, and it stays listed as {@code stopped}.
 */
class GracefulStopTest {

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
    assertThat(ChatLoad.chat(nodes.url(entry), key, "graceful", TestModels.REPLY)).isNull();

    ChatLoad load = ChatLoad.start(nodes.url(entry), key, "graceful", TestModels.REPLY, 2);
    load.awaitServed(3, Duration.ofSeconds(10));

    long signal = System.nanoTime();
    CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> nodes.stopNode(host));
    Duration moved = Eventually.await(Duration.ofSeconds(60), () -> assertThat(instances(entryAdmin))
        .anySatisfy(i -> {
          assertThat(((JsonObject) i).getString("node_name")).isNotEqualTo(hostName);
          assertThat(((JsonObject) i).getString("state")).isEqualTo("running");
        }));
    stopping.get(60, TimeUnit.SECONDS);
    long stoppedMs = (System.nanoTime() - signal) / 1_000_000;
    load.awaitServed(3, Duration.ofSeconds(10));
    List<String> failures = load.stop();
    System.out.printf("graceful stop of the serving node: replica running elsewhere after %d ms, node stopped after "
        + "%d ms, %d requests served, %d failed%n", moved.toMillis(), stoppedMs, load.served(), failures.size());

    assertThat(failures).as("failed requests during the stop").isEmpty();
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
