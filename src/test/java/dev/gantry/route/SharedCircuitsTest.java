package dev.gantry.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Addresses;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Provider credential circuits shared by a 3-node cluster: a stand-in provider answers 500 to its first
 * credential and a chat completion to its second. Once node 1 has seen the first credential fail, node 2
 * sends nothing with it until the open period ends, and then exactly one probe.
 */
class SharedCircuitsTest {

  private static final String BAD = "bad-credential-for-circuits";
  private static final String GOOD = "good-credential-for-circuits";
  private static final long COOL_DOWN_MS = 15_000;
  private static TestNodes nodes;
  private static Vertx standInVertx;
  private static HttpServer standIn;
  private static final AtomicInteger badCalls = new AtomicInteger();
  private static final AtomicInteger goodCalls = new AtomicInteger();

  @BeforeAll
  static void start() {
    nodes = TestNodes.start(3);
    standInVertx = Vertx.vertx();
    standIn = standInVertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      if (("Bearer " + BAD).equals(request.getHeader("Authorization"))) {
        badCalls.incrementAndGet();
        request.response().setStatusCode(500).end("{\"error\":{\"message\":\"stand-in failure\"}}");
        return;
      }
      goodCalls.incrementAndGet();
      request.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("id", "c1")
          .put("object", "chat.completion").put("choices", new JsonArray().add(new JsonObject().put("index", 0)
              .put("finish_reason", "stop").put("message", new JsonObject().put("role", "assistant")
                  .put("content", "from the stand-in")))).encode());
    })).listen(0, "127.0.0.1").await();
  }

  @AfterAll
  static void stop() {
    if (standInVertx != null) {
      standInVertx.close().await();
    }
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void aCredentialOneNodeFoundFailingIsSkippedByTheOthersUntilItsOpenPeriodEndsAndThenProbedOnce() {
    Api admin = nodes.admin(1);
    Api.expect(admin.post("/v2/providers", new JsonObject().put("name", "flaky").put("kind", "openai")
        .put("base_url", "http://127.0.0.1:" + standIn.actualPort() + "/v1")
        .put("credentials", new JsonArray().add(BAD).add(GOOD)).put("models", new JsonArray().add("m"))
        .put("failure_threshold", 1).put("cool_down_ms", COOL_DOWN_MS)), 201);
    String key = admin.createKey("shared-circuits", "inference").getString("value");
    for (int node = 1; node <= 3; node++) {
      Api caller = nodes.api(node).withKey(key);
      Eventually.await(Duration.ofSeconds(20), () -> assertThat(Api.expect(caller.get("/v1/models"), 200).encode())
          .as("every node knows the provider").contains("flaky/m"));
    }
    Queue<JsonObject> heardOnNode2 = new ConcurrentLinkedQueue<>();
    MessageConsumer<JsonObject> listener = nodes.node(2).vertx().eventBus().<JsonObject>consumer(Addresses.providerCircuits(),
        message -> heardOnNode2.add(message.body()));
    listener.completion().await();

    Api.Response first = nodes.api(1).withKey(key).post("/v1/chat/completions", chat());
    assertThat(badCalls.get()).as("node 1 tried the first credential").isEqualTo(1);
    assertThat(first.body()).doesNotContain(BAD);
    Eventually.await(Duration.ofSeconds(10), () -> assertThat(heardOnNode2).as("the opening told to node 2")
        .anySatisfy(news -> assertThat(news.getLong("open_until")).isNotNull()));
    long openedAt = System.currentTimeMillis();
    assertThat(heardOnNode2.stream().map(JsonObject::encode).toList())
        .allSatisfy(news -> assertThat(news).doesNotContain(BAD, GOOD).contains("\"provider\":\"flaky\"", "\"index\":0"));

    int goodBefore = goodCalls.get();
    for (int i = 0; i < 4; i++) {
      Api.Response answer = nodes.api(2).withKey(key).post("/v1/chat/completions", chat());
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }
    assertThat(System.currentTimeMillis() - openedAt).as("still inside the open period").isLessThan(COOL_DOWN_MS);
    assertThat(badCalls.get()).as("node 2 never sent the failing credential").isEqualTo(1);
    assertThat(goodCalls.get()).as("node 2 went straight to the second credential").isEqualTo(goodBefore + 4);

    Eventually.await(Duration.ofSeconds(COOL_DOWN_MS / 1000 + 20), () -> {
      assertThat(nodes.api(2).withKey(key).post("/v1/chat/completions", chat()).status()).isIn(200, 502, 503);
      assertThat(badCalls.get()).as("a probe after the open period").isGreaterThan(1);
    });
    for (int i = 0; i < 4; i++) {
      nodes.api(2).withKey(key).post("/v1/chat/completions", chat());
    }
    assertThat(badCalls.get()).as("one probe, and the failed probe opened the circuit again").isEqualTo(2);
    listener.unregister().await();
  }

  private static JsonObject chat() {
    return new JsonObject().put("model", "flaky/m")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));
  }
}
