package dev.gantry.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * Maintenance with {@code drain}: the replicas of the drained node start elsewhere first, then stop once
 * their requests finished; chat requests sent meanwhile all succeed; the node stays in the cluster, in
 * maintenance, with nothing on it; stopped, it is removed cleanly.
 */
class DrainTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String REPLY = "Hello from Gantry!";
  private static TestNodes nodes;

  @BeforeAll
  static void start() {
    nodes = TestNodes.start(2);
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  private static JsonArray instances(Api api) {
    return Api.expect(api.get("/v2/model-instances?model_name=drained"), 200).getJsonArray("items");
  }

  private static String chat(String url, String key) {
    JsonObject body = new JsonObject().put("model", "drained")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions"))
          .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
          .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains(REPLY) ? null
          : response.statusCode() + " " + response.body();
    } catch (Exception e) {
      return e.toString();
    }
  }

  @Test
  void drainingMovesTheReplicaBeforeItStopsAndNoRequestFails() throws Exception {
    Api admin = nodes.admin(1);
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", "drained").put("source", "builtin")
        .put("builtin_model", "gantry-tiny-chat")), 201);
    Eventually.await(Duration.ofSeconds(90), () -> assertThat(instances(admin)).singleElement()
        .satisfies(i -> assertThat(((JsonObject) i).getString("state")).isEqualTo("running")));
    String hostName = instances(admin).getJsonObject(0).getString("node_name");
    int host = List.of(nodes.name(1), nodes.name(2)).indexOf(hostName) + 1;
    int other = 3 - host;
    String key = admin.createKey("drain-load", "*").getString("value");

    AtomicBoolean loading = new AtomicBoolean(true);
    AtomicInteger served = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    CompletableFuture<?> client = CompletableFuture.runAsync(() -> {
      while (loading.get()) {
        String failure = chat(nodes.url(other), key);
        if (failure == null) {
          served.incrementAndGet();
        } else {
          failures.add(failure);
        }
      }
    });
    Eventually.await(Duration.ofSeconds(10), () -> assertThat(served.get()).isGreaterThan(3));

    assertThat(admin.patch("/v2/nodes/" + hostName, new JsonObject().put("maintenance", false).put("drain", true))
        .status()).as("drain without maintenance is refused").isEqualTo(400);
    JsonObject draining = Api.expect(admin.patch("/v2/nodes/" + hostName, new JsonObject().put("drain", true)), 200);
    assertThat(draining.getBoolean("maintenance")).isTrue();
    assertThat(draining.getBoolean("drain")).isTrue();
    assertThat(draining.getString("state_message")).contains("draining");

    Duration moved = Eventually.await(Duration.ofSeconds(60), () -> assertThat(instances(admin)).singleElement()
        .satisfies(i -> {
          assertThat(((JsonObject) i).getString("node_name")).isEqualTo(nodes.name(other));
          assertThat(((JsonObject) i).getString("state")).isEqualTo("running");
        }));
    int servedThen = served.get();
    Eventually.await(Duration.ofSeconds(10), () -> assertThat(served.get()).isGreaterThan(servedThen + 3));
    loading.set(false);
    client.get(60, TimeUnit.SECONDS);
    System.out.printf("drain: the replica moved and the old one stopped after %d ms; %d requests served, %d failed%n",
        moved.toMillis(), served.get(), failures.size());
    assertThat(failures).as("failed requests during the drain").isEmpty();

    Api survivor = admin.on(nodes.url(other));
    JsonObject node = Api.expect(survivor.get("/v2/nodes/" + hostName), 200);
    assertThat(node.getString("state")).isEqualTo("maintenance");
    assertThat(survivor.delete("/v2/nodes/" + hostName).status()).as("a drained node still in the cluster").isEqualTo(409);
    nodes.stopNode(host);
    assertThat(survivor.delete("/v2/nodes/" + hostName).status()).as("drained and stopped, it goes cleanly").isEqualTo(204);
    assertThat(instances(survivor)).singleElement()
        .satisfies(i -> assertThat(((JsonObject) i).getString("state")).isEqualTo("running"));
  }
}
