package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Ids;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How the gateway behaves when engines fail, clients leave, instances stop running or requests are
 * wrong; every engine is a real process the node's supervisor started, switched into a failure mode.
 */
class GatewayFailureTest {

  static GatewayTestNode gantry;
  static String key;

  @BeforeAll
  static void startNode() {
    gantry = GatewayTestNode.start();
    key = gantry.apiKey(true, "inference", null).getString("value");
  }

  @AfterAll
  static void stopNode() {
    gantry.close();
  }

  @Test
  void a500OrARefusedConnectionBeforeTheFirstByteIsRetriedOnAnotherInstance() throws Exception {
    String model = "m-" + Ids.random(8);
    List<JsonObject> replicas = gantry.deployTestEngines(model, 3);
    JsonObject failing = replicas.get(0);
    JsonObject refusing = replicas.get(1);
    JsonObject healthy = replicas.get(2);
    gantry.engineMode(failing, "fail_500");
    gantry.changeInstance(refusing.getString("id"), new JsonObject().put("port", Ports.free()));
    awaitNoLongerRouted(model, refusing);
    int healthyBefore = gantry.engineStats(healthy).getInteger("requests");
    int failingBefore = gantry.engineStats(failing).getInteger("requests");
    String run = "retry-" + Ids.random(6);

    for (int i = 0; i < 20; i++) {
      HttpResponse<String> response = gantry.call("POST", "/v1/chat/completions", key, chat(model, i % 2 == 0),
          "X-Request-Id", run + "-" + i);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains(i % 2 == 0 ? "\" engine\"" : TestEngine.REPLY);
    }

    assertThat(gantry.engineStats(failing).getInteger("requests")).isGreaterThan(failingBefore);
    assertThat(gantry.engineStats(healthy).getInteger("requests")).isEqualTo(healthyBefore + 20);
    assertThat(gantry.usageRows(model, 20)).filteredOn(row -> row.getString("request_id").startsWith(run)).hasSize(20)
        .allSatisfy(row -> assertThat(row.getString("instance_id")).isEqualTo(healthy.getString("id")));
  }

  /** Sends requests until ten in a row no longer reach the instance's engine process (its record points elsewhere). */
  private static void awaitNoLongerRouted(String model, JsonObject instance) throws Exception {
    int quiet = 0;
    for (int sent = 0; quiet < 10 && sent < 200; sent++) {
      int before = gantry.engineStats(instance).getInteger("requests");
      gantry.call("POST", "/v1/chat/completions", key, chat(model, false));
      quiet = gantry.engineStats(instance).getInteger("requests") == before ? quiet + 1 : 0;
    }
    assertThat(quiet).as("requests still reach the old port of %s", instance.getString("id")).isEqualTo(10);
  }

  @Test
  void whenEveryInstanceFailsTheClientGetsTheEngines500OrA502NamingTheModel() throws Exception {
    String failingModel = "m-" + Ids.random(8);
    gantry.engineMode(gantry.deployTestEngines(failingModel, 1).get(0), "fail_500");
    String deadModel = "m-" + Ids.random(8);
    gantry.changeInstance(gantry.deployTestEngines(deadModel, 1).get(0).getString("id"),
        new JsonObject().put("port", Ports.free()));

    HttpResponse<String> relayed = gantry.call("POST", "/v1/chat/completions", key, chat(failingModel, false));
    AtomicReference<HttpResponse<String>> answer = new AtomicReference<>();
    Eventually.await(Duration.ofSeconds(5), () -> {
      answer.set(gantry.call("POST", "/v1/chat/completions", key, chat(deadModel, true)));
      assertThat(answer.get().statusCode()).as("once the gateway sees the dead port").isEqualTo(502);
    });
    HttpResponse<String> unreachable = answer.get();

    assertThat(relayed.statusCode()).isEqualTo(500);
    assertThat(relayed.body()).contains("engine exploded");
    assertThat(unreachable.statusCode()).isEqualTo(502);
    assertThat(error(unreachable).getString("message")).contains("no replica of model '" + deadModel + "' could answer");
    assertThat(gantry.usageRows(failingModel, 1)).singleElement()
        .satisfies(row -> assertThat(row.getInteger("status")).isEqualTo(500));
    List<JsonObject> deadRows = gantry.usageRows(deadModel, 1);
    assertThat(deadRows.get(deadRows.size() - 1).getString("outcome")).isEqualTo("error");
    assertThat(deadRows.get(deadRows.size() - 1).getInteger("status")).isEqualTo(502);
  }

  @Test
  void anEngineThatDiesMidStreamEndsTheStreamWithAnErrorEventAndDone() throws Exception {
    String model = "m-" + Ids.random(8);
    gantry.engineMode(gantry.deployTestEngines(model, 1).get(0), "die_mid_stream");

    HttpResponse<String> response = gantry.call("POST", "/v1/chat/completions", key, chat(model, true));

    assertThat(response.statusCode()).isEqualTo(200);
    List<String> events = List.of(response.body().split("\n\n"));
    assertThat(events).hasSize(5);
    assertThat(events.get(2)).contains("\" the\"");
    assertThat(events.get(3)).startsWith("data: {\"error\":{").contains("stopped mid-stream", "\"code\":\"upstream_error\"");
    assertThat(events.get(4)).isEqualTo("data: [DONE]");
    assertThat(gantry.usageRows(model, 1)).singleElement().satisfies(row -> {
      assertThat(row.getInteger("status")).isEqualTo(502);
      assertThat(row.getString("outcome")).isEqualTo("error");
      assertThat(row.getInteger("completion_tokens")).isEqualTo(3);
    });
  }

  @Test
  void aClientThatDisconnectsMidStreamCancelsTheEngineRequestAndIsRecordedAsCancelled() throws Exception {
    String model = "m-" + Ids.random(8);
    JsonObject slow = gantry.deployTestEngines(model, 1).get(0);
    gantry.engineMode(slow, "slow_stream");

    try (Socket socket = new Socket("127.0.0.1", gantry.port)) {
      socket.setSoTimeout(30_000); // a read that never returns fails the test instead of hanging the suite
      String body = chat(model, true);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
          + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      int events = 0;
      for (String line = in.readLine(); line != null && events < 3; line = in.readLine()) {
        events += line.contains("data: {") ? 1 : 0;
      }
      assertThat(events).isEqualTo(3);
    }

    Eventually.await(Duration.ofSeconds(5), () -> assertThat(gantry.engineStats(slow).getInteger("closed_early")).isEqualTo(1));
    assertThat(gantry.usageRows(model, 1)).singleElement().satisfies(row -> {
      assertThat(row.getString("outcome")).isEqualTo("cancelled");
      assertThat(row.getInteger("status")).isEqualTo(499);
      assertThat(row.getInteger("completion_tokens")).isGreaterThanOrEqualTo(3);
    });
  }

  /**
   * The leaving replica's record is pointed at an engine inside this test (the node's supervisor stops
   * its own process when the record turns unreachable), so that every request routed to it is counted.
   */
  @Test
  void anInstanceThatStopsRunningGetsNoRequestsWithinASecond() throws Exception {
    String model = "m-" + Ids.random(8);
    String leaving = gantry.deployTestEngines(model, 2).get(0).getString("id");
    Vertx vertx = Vertx.vertx();
    try {
      int port = Ports.free();
      TestEngine counted = new TestEngine(vertx, gantry.engineKeyOf(leaving)).start("127.0.0.1", port);
      gantry.changeInstance(leaving, new JsonObject().put("port", port));
      while (counted.requests() == 0) {
        gantry.call("POST", "/v1/chat/completions", key, chat(model, false));
      }

      gantry.changeInstance(leaving, new JsonObject().put("state", "unreachable").put("state_message", "node left"));
      long changed = System.nanoTime();
      long lastSeen = changed;
      int before = counted.requests();
      while (System.nanoTime() - changed < Duration.ofMillis(1500).toNanos()) {
        gantry.call("POST", "/v1/chat/completions", key, chat(model, false));
        if (counted.requests() != before) {
          before = counted.requests();
          lastSeen = System.nanoTime();
        }
      }

      assertThat(Duration.ofNanos(lastSeen - changed)).isLessThan(Duration.ofSeconds(1));
      for (int i = 0; i < 20; i++) {
        assertThat(gantry.call("POST", "/v1/chat/completions", key, chat(model, false)).statusCode()).isEqualTo(200);
      }
      assertThat(counted.requests()).isEqualTo(before);
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void withoutARunningReplicaTheAnswerIs503WithThePendingReason() throws Exception {
    String model = "m-" + Ids.random(8);
    Api.expect(gantry.admin.post("/v2/models", new JsonObject().put("name", model).put("backend", "llama.cpp")
        .put("local_path", "/models/never-placed.gguf").put("node_selector", new JsonObject().put("gpu", "h100"))), 201);
    String[] reason = new String[1];
    Eventually.await(Duration.ofSeconds(10), () -> {
      JsonObject instance = gantry.instances(model).get(0);
      assertThat(instance.getString("state")).isEqualTo("pending");
      assertThat(instance.getString("state_message")).contains("gpu");
      reason[0] = instance.getString("state_message");
    });
    Eventually.await(Duration.ofSeconds(5), () -> assertThat(gantry.admin.get("/v1/models").body()).contains(model));

    HttpResponse<String> response = gantry.call("POST", "/v1/chat/completions", key, chat(model, false));

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(error(response).getString("message"))
        .isEqualTo("model '" + model + "' has no running replica: pending: " + reason[0]);
    assertThat(error(response).getString("type")).isEqualTo("server_error");
    assertThat(gantry.usageRows(model, 1)).singleElement()
        .satisfies(row -> assertThat(row.getInteger("status")).isEqualTo(503));
  }

  @Test
  void badRequestsAreRecordedAndWrongScopesRefusedInOpenAiShape() throws Exception {
    String model = "m-" + Ids.random(8);
    String managementKey = gantry.apiKey(true, "management", null).getString("value");

    HttpResponse<String> noMessages = gantry.call("POST", "/v1/chat/completions", key, "{\"model\":\"" + model + "\"}");
    HttpResponse<String> wrongScope = gantry.call("POST", "/v1/chat/completions", managementKey, chat(model, false));
    HttpResponse<String> noKey = gantry.call("POST", "/v1/chat/completions", "gt-nonsense", chat(model, false));

    assertThat(noMessages.statusCode()).isEqualTo(400);
    assertThat(error(noMessages).getString("message")).contains("field 'messages'");
    assertThat(error(noMessages).getString("type")).isEqualTo("invalid_request_error");
    assertThat(wrongScope.statusCode()).isEqualTo(403);
    assertThat(error(wrongScope).getString("type")).isEqualTo("permission_error");
    assertThat(noKey.statusCode()).isEqualTo(401);
    assertThat(gantry.usageRows(model, 1)).extracting(row -> row.getInteger("status"))
        .containsExactly(400);
  }

  @Test
  void theRequestIdTravelsToTheEngineAndIntoTheRecordButNeverTheClientsKey() throws Exception {
    String model = "m-" + Ids.random(8);
    JsonObject engine = gantry.deployTestEngines(model, 1).get(0);
    String requestId = "trace-" + Ids.random(8);

    HttpResponse<String> response = gantry.call("POST", "/v1/chat/completions", key, chat(model, false),
        "X-Request-Id", requestId);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Request-Id")).contains(requestId);
    assertThat(gantry.engineStats(engine).getJsonArray("request_ids")).containsExactly(requestId);
    assertThat(gantry.usageRows(model, 1)).singleElement()
        .satisfies(row -> assertThat(row.getString("request_id")).isEqualTo(requestId));
  }

  private static String chat(String model, boolean stream) {
    return new JsonObject().put("model", model).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi"))).encode();
  }

  private static JsonObject error(HttpResponse<String> response) {
    return new JsonObject(response.body()).getJsonObject("error");
  }
}
