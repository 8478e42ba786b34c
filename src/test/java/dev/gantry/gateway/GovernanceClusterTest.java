package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Ids;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.HeldEvents;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Governance on a real three-node cluster: a rate limit shared by the nodes under load spread over all
 * three, a token quota that refuses once spent without charging the refused requests, and group access.
 * The model's replicas are real {@link TestEngine} processes.
 */
class GovernanceClusterTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static TestNodes nodes;
  private static Api admin;
  private static Path engineFiles;
  private static String model;

  @BeforeAll
  static void startCluster() throws Exception {
    nodes = TestNodes.start(3);
    admin = nodes.admin(1);
    engineFiles = GatewayTestNode.writeTestEngineFiles();
    model = "gov-" + Ids.random(6);
    Api.expect(admin.post("/v2/models", GatewayTestNode.testEngineSpec(model, engineFiles).put("replicas", 3)), 201);
    Eventually.await(Duration.ofSeconds(90), () -> assertThat(Api.expect(admin.get("/v2/model-instances?model_name=" + model),
        200).getJsonArray("items").stream().map(JsonObject.class::cast).filter(i -> "running".equals(i.getString("state"))))
        .hasSize(3));
  }

  @AfterAll
  static void stopCluster() {
    if (nodes != null) {
      nodes.close();
    }
    TestFiles.deleteRecursively(engineFiles);
  }

  @Test
  void aKeysRequestLimitHoldsAcrossThreeNodesWithinFivePercentAndEvery429SaysWhenToRetry() throws Exception {
    int limit = 60;
    String key = keyOf(newUser(), new JsonObject().put("requests_per_minute", limit).put("window_seconds", 10));
    long window = 10_000;
    Eventually.await(Duration.ofSeconds(12), () -> assertThat(System.currentTimeMillis() % window).isLessThan(300));
    long windowStart = System.currentTimeMillis() / window * window;
    long stopAt = windowStart + window - 1_000;
    ConcurrentLinkedQueue<HttpResponse<String>> answers = new ConcurrentLinkedQueue<>();
    java.util.concurrent.atomic.AtomicInteger transportErrors = new java.util.concurrent.atomic.AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(6);
    List<Future<?>> running = new ArrayList<>();
    for (int c = 0; c < 6; c++) {
      int node = c % 3 + 1;
      running.add(clients.submit(() -> {
        while (System.currentTimeMillis() < stopAt) {
          try {
            answers.add(chat(node, key, model));
          } catch (java.io.IOException e) {
            transportErrors.incrementAndGet();  // a connection closed under the client's feet; the limiter is what is tested
          }
        }
        return null;
      }));
    }
    for (Future<?> client : running) {
      client.get();
    }
    clients.shutdown();

    List<HttpResponse<String>> accepted = answers.stream().filter(r -> r.statusCode() == 200).toList();
    List<HttpResponse<String>> refused = answers.stream().filter(r -> r.statusCode() == 429).toList();
    assertThat(accepted.size() + refused.size()).as("every answer is a 200 or a 429").isEqualTo(answers.size());
    assertThat(transportErrors.get()).as("requests without an answer, of %d", answers.size()).isLessThanOrEqualTo(answers.size() / 50);
    assertThat(accepted.size()).as("accepted of %d in one window", answers.size())
        .isBetween((int) Math.floor(limit * 0.95), (int) Math.ceil(limit * 1.05));
    assertThat(refused).isNotEmpty().allSatisfy(r -> {
      assertThat(r.headers().firstValue("Retry-After")).isPresent();
      assertThat(r.headers().firstValue("x-ratelimit-limit-requests")).hasValue(String.valueOf(limit));
      assertThat(r.headers().firstValue("x-ratelimit-remaining-requests")).isPresent();
      assertThat(r.headers().firstValue("x-ratelimit-reset-requests")).isPresent();
      assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code")).isEqualTo("rate_limit_exceeded");
    });
    assertThat(accepted).allSatisfy(r ->
        assertThat(r.headers().firstValue("x-ratelimit-limit-requests")).hasValue(String.valueOf(limit)));
  }

  @Test
  void aSpentQuotaAnswersInsufficientQuotaOnEveryNodeAndRefusedRequestsAreNotCharged() throws Exception {
    Api owner = newUser();
    JsonObject created = owner.createKey(new JsonObject().put("name", "k-" + Ids.random(6)).put("scope", "*")
        .put("limits", new JsonObject().put("tokens_per_day", 1)));
    String key = created.getString("value");
    HttpResponse<String> first = chat(1, key, model);
    assertThat(first.statusCode()).isEqualTo(200);
    int spent = new JsonObject(first.body()).getJsonObject("usage").getInteger("total_tokens");
    int[] admitted = {1};

    for (int node = 1; node <= 3; node++) {
      int on = node;
      Eventually.await(Duration.ofSeconds(5), () -> {
        HttpResponse<String> refused = chat(on, key, model);
        if (refused.statusCode() == 200) {
          admitted[0]++;  // a node admits until it learns of the others' charges (within a flush)
        }
        assertThat(refused.statusCode()).isEqualTo(429);
        JsonObject error = new JsonObject(refused.body()).getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("insufficient_quota");
        assertThat(error.getString("type")).isEqualTo("insufficient_quota");
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).as("seconds until the day renews").isBetween(1L, 86_400L);
      });
    }
    String path = "/v2/api-keys/" + created.getString("id");
    // barriers: another key's charges made on each node; once every node shows them, whatever was charged
    // on those nodes before them has been flushed too
    JsonObject barrier = owner.createKey(new JsonObject().put("name", "b-" + Ids.random(6)).put("scope", "*")
        .put("limits", new JsonObject().put("tokens_per_day", 1_000_000)));
    passBarrier(owner, barrier, 1, spent);
    long used = quotaOf(owner.get(path)).getLong("used");
    for (int node = 1; node <= 3; node++) {
      assertThat(quotaOf(owner.on(nodes.url(node)).get(path)).getLong("used")).as("node %d", node).isEqualTo(used);
    }
    // a node admits until it learns of the others' charges (within a flush): each admitted answer is charged once
    assertThat(used).isGreaterThanOrEqualTo((long) admitted[0] * spent).isEqualTo(used / spent * spent);
    assertThat(quotaOf(owner.get(path)).getLong("remaining")).isZero();

    for (int i = 0; i < 6; i++) {
      assertThat(chat(i % 3 + 1, key, model).statusCode()).isEqualTo(429);
    }
    passBarrier(owner, barrier, 2, spent);
    for (int node = 1; node <= 3; node++) {
      assertThat(quotaOf(owner.on(nodes.url(node)).get(path)).getLong("used")).as("node %d", node).isEqualTo(used);
    }
  }

  /** The barrier key's {@code round}-th chat on each node, then until every node shows all of them charged. */
  private static void passBarrier(Api owner, JsonObject barrier, int round, int spent) throws Exception {
    for (int node = 1; node <= 3; node++) {
      assertThat(chat(node, barrier.getString("value"), model).statusCode()).isEqualTo(200);
    }
    String path = "/v2/api-keys/" + barrier.getString("id");
    Eventually.await(Duration.ofSeconds(10), () -> {
      for (int node = 1; node <= 3; node++) {
        assertThat(quotaOf(owner.on(nodes.url(node)).get(path)).getLong("used")).isEqualTo(3L * round * spent);
      }
    });
  }

  @Test
  void aUserInAGroupSeesTheGroupsModelsAndOthersAreIndistinguishableFromMissingOnes() throws Exception {
    String other = "hidden-" + Ids.random(6);
    Path file = Files.writeString(engineFiles.resolve(other + ".model"), "never started");
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", other).put("backend", "custom")
        .put("run_command", "sleep 600").put("local_path", file.toString()).put("replicas", 0)
        .put("estimate_override_bytes", 1L << 20)), 201);
    String username = "g-" + Ids.random(6);
    long userId = admin.createUser(username, "password-" + username, "user").getLong("id");
    String key = nodes.api(1).login(username, "password-" + username).createKey("k", "inference").getString("value");
    Eventually.await(Duration.ofSeconds(5), () -> assertThat(modelIds(2, key)).contains(model, other));

    Api.expect(admin.post("/v2/groups", new JsonObject().put("name", "team-" + Ids.random(6))
        .put("members", new JsonArray().add(userId)).put("allowed_models", new JsonArray().add(model))), 201);

    for (int node = 1; node <= 3; node++) {
      int on = node;
      Eventually.await(Duration.ofSeconds(5), () -> assertThat(modelIds(on, key)).contains(model).doesNotContain(other));
    }
    assertThat(chat(3, key, model).statusCode()).isEqualTo(200);
    HttpResponse<String> hidden = chat(3, key, other);
    HttpResponse<String> missing = chat(3, key, "no-such-model");
    assertThat(hidden.statusCode()).isEqualTo(404).isEqualTo(missing.statusCode());
    assertThat(hidden.body().replace(other, "X")).isEqualTo(missing.body().replace("no-such-model", "X"));
    JsonObject me = Api.expect(admin.get("/v2/users/" + userId), 200);
    assertThat(me.getJsonArray("groups")).hasSize(1);
  }

  @Test
  void aZeroWindowIsA400NamingTheField() {
    long userId = admin.createUser("z-" + Ids.random(6), "password-123456", "user").getLong("id");
    Api.Response response = admin.patch("/v2/users/" + userId, new JsonObject().put("limits",
        new JsonObject().put("requests_per_minute", 5).put("window_seconds", 0)));
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.body()).contains("window_seconds");
  }

  @Test
  void aRouteOrModelCreatedThroughOneNodeIsFoundByAnotherWhoseMirrorHasNotHeardOfItYet() throws Exception {
    String key = keyOf(admin, new JsonObject());
    String route = "fresh-" + Ids.random(6);
    String idle = "idle-" + Ids.random(6);
    try (HeldEvents held = HeldEvents.on(nodes.clusterPort(2))) {
      Api.expect(admin.post("/v2/routes", new JsonObject().put("name", route).put("targets", new JsonArray()
          .add(new JsonObject().put("model", model)))), 201);
      Api.expect(admin.post("/v2/models", GatewayTestNode.testEngineSpec(idle, engineFiles).put("replicas", 0)), 201);
      assertThat(held.stillHeld()).as("node 2 has heard of neither yet").isTrue();

      HttpResponse<String> viaRoute = chat(2, key, route);
      assertThat(viaRoute.statusCode()).as(viaRoute.body()).isEqualTo(200);
      HttpResponse<String> described = HTTP.send(HttpRequest.newBuilder(URI.create(nodes.url(2) + "/v1/models/" + idle))
          .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(described.statusCode()).as(described.body()).isEqualTo(200);
      HttpResponse<String> scaledToZero = chat(2, key, idle);
      assertThat(scaledToZero.statusCode()).as("found, and says why it cannot answer").isEqualTo(503);
      assertThat(scaledToZero.body()).contains("scaled to 0 replicas");
      HttpResponse<String> nothing = chat(2, key, "nothing-" + Ids.random(6));
      assertThat(nothing.statusCode()).isEqualTo(404);
      assertThat(held.stillHeld()).as("the events were held throughout").isTrue();
    }
    Api.expect(admin.delete("/v2/routes/" + route), 204);
    Api.expect(admin.delete("/v2/models/" + idle), 204);
  }

  @Test
  void aReplicaAnotherNodeHasJustSeenTurnRunningIsUsedByANodeThatHasNotHeardOfItYet() throws Exception {
    String key = keyOf(admin, new JsonObject());
    String late = "late-" + Ids.random(6);
    Path ready = engineFiles.resolve(late + ".ready");
    JsonObject spec = GatewayTestNode.testEngineSpec(late, engineFiles).put("replicas", 1)
        .put("node_selector", new JsonObject().put("index", "1"));
    Api.expect(admin.post("/v2/models", spec.put("run_command", spec.getString("run_command") + " --ready-when " + ready)),
        201);
    Eventually.await(Duration.ofSeconds(60), () -> {
      HttpResponse<String> notYet = chat(2, key, late);
      assertThat(notYet.statusCode()).as(notYet.body()).isEqualTo(503);
      assertThat(notYet.body()).as("node 2 knows the replica is starting").contains("starting");
    });
    try (HeldEvents held = HeldEvents.on(nodes.clusterPort(2))) {
      Files.writeString(ready, "ready");
      Eventually.await(Duration.ofSeconds(30), () -> assertThat(Api.expect(admin.get("/v2/model-instances?model_name="
          + late), 200).getJsonArray("items").getJsonObject(0).getString("state")).isEqualTo("running"));

      HttpResponse<String> served = chat(2, key, late);
      assertThat(served.statusCode()).as("node 2 re-reads its starting replica before answering 503: %s", served.body())
          .isEqualTo(200);
      assertThat(served.body()).contains(TestEngine.REPLY);
      assertThat(held.stillHeld()).as("node 2 heard nothing meanwhile").isTrue();
    }
    Api.expect(admin.delete("/v2/models/" + late), 204);
  }

  @Test
  void anInferenceBodyLargerThanTheManagementLimitCrossesTheRelayHopToAnotherNodesEngine() throws Exception {
    String key = keyOf(admin, new JsonObject());
    String far = "far-" + Ids.random(6);
    Api.expect(admin.post("/v2/models", GatewayTestNode.testEngineSpec(far, engineFiles).put("replicas", 1)
        .put("node_selector", new JsonObject().put("index", "1"))), 201);
    Eventually.await(Duration.ofSeconds(60), () -> assertThat(Api.expect(admin.get("/v2/model-instances?model_name="
        + far), 200).getJsonArray("items").getJsonObject(0).getString("state")).isEqualTo("running"));
    String body = new JsonObject().put("model", far).put("messages", new JsonArray().add(new JsonObject()
        .put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject()
                .put("url", "data:image/png;base64," + "A".repeat(3 << 19))))))).encode();

    HttpResponse<String> relayed = HTTP.send(HttpRequest.newBuilder(URI.create(nodes.url(2) + "/v1/chat/completions"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(relayed.statusCode()).as("node 2 relays 1.5 MiB to node 1's engine: %s", relayed.body()).isEqualTo(200);
    assertThat(relayed.body()).contains(TestEngine.REPLY);
    Api.expect(admin.delete("/v2/models/" + far), 204);
  }

  private static Api newUser() {
    String username = "u-" + Ids.random(8);
    admin.createUser(username, "password-" + username, "user");
    return nodes.api(1).login(username, "password-" + username);
  }

  private static String keyOf(Api owner, JsonObject limits) {
    return owner.createKey(new JsonObject().put("name", "k-" + Ids.random(6)).put("scope", "*").put("limits", limits))
        .getString("value");
  }

  private static JsonObject quotaOf(Api.Response key) {
    return Api.expect(key, 200).getJsonObject("quota").getJsonObject("tokens_per_day");
  }

  private static List<String> modelIds(int node, String key) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(nodes.url(node) + "/v1/models"))
        .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
    return new JsonObject(response.body()).getJsonArray("data").stream()
        .map(m -> ((JsonObject) m).getString("id")).toList();
  }

  private static HttpResponse<String> chat(int node, String key, String name) throws Exception {
    String body = new JsonObject().put("model", name).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "Hi"))).encode();
    return HTTP.send(HttpRequest.newBuilder(URI.create(nodes.url(node) + "/v1/chat/completions"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
