package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.cluster.ClusterMaps;
import dev.gantry.common.Ids;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the gateway behaves when engines fail, clients leave, instances stop running or requests are wrong. */
class GatewayFailureTest {

  @TempDir
  static Path dataDir;
  static GatewayTestNode gantry;
  static Vertx vertx;
  static String key;

  @BeforeAll
  static void startNode() throws Exception {
    gantry = GatewayTestNode.start(dataDir);
    vertx = Vertx.vertx();
    key = gantry.apiKey(true, "inference", null).getString("value");
  }

  @AfterAll
  static void stopNode() {
    vertx.close().await();
    gantry.close();
  }

  @Test
  void a500OrARefusedConnectionBeforeTheFirstByteIsRetriedOnAnotherInstance() throws Exception {
    String model = "m-" + Ids.random(8);
    TestEngine failing = engine(TestEngine.Mode.FAIL_500);
    TestEngine healthy = engine(TestEngine.Mode.NORMAL);
    gantry.putInstance(model, "running", null, failing.port(), failing.secret);
    gantry.putInstance(model, "running", null, GatewayTestNode.freePort(), "nobody-listens");
    String good = gantry.putInstance(model, "running", null, healthy.port(), healthy.secret);
    serve(model);

    for (int i = 0; i < 20; i++) {
      HttpResponse<String> response = gantry.call("POST", "/v1/chat/completions", key, chat(model, i % 2 == 0));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains(i % 2 == 0 ? "\" engine\"" : TestEngine.REPLY);
    }

    assertThat(failing.requests.get()).isPositive();
    assertThat(healthy.requests.get()).isEqualTo(20);
    assertThat(gantry.usageRows("model = '" + model + "'", 20)).hasSize(20)
        .allSatisfy(row -> assertThat(row.getString("instance_id")).isEqualTo(good));
  }

  @Test
  void whenEveryInstanceFailsTheClientGetsTheEngines500OrA502NamingTheModel() throws Exception {
    String failingModel = "m-" + Ids.random(8);
    TestEngine failing = engine(TestEngine.Mode.FAIL_500);
    gantry.putInstance(failingModel, "running", null, failing.port(), failing.secret);
    String deadModel = "m-" + Ids.random(8);
    gantry.putInstance(deadModel, "running", null, GatewayTestNode.freePort(), "s");
    serve(failingModel);
    serve(deadModel);

    HttpResponse<String> relayed = gantry.call("POST", "/v1/chat/completions", key, chat(failingModel, false));
    HttpResponse<String> unreachable = gantry.call("POST", "/v1/chat/completions", key, chat(deadModel, true));

    assertThat(relayed.statusCode()).isEqualTo(500);
    assertThat(relayed.body()).contains("engine exploded");
    assertThat(unreachable.statusCode()).isEqualTo(502);
    assertThat(error(unreachable).getString("message")).contains("no replica of model '" + deadModel + "' could answer");
    assertThat(gantry.usageRows("model = '" + failingModel + "'", 1)).singleElement()
        .satisfies(row -> assertThat(row.getInteger("status")).isEqualTo(500));
    assertThat(gantry.usageRows("model = '" + deadModel + "'", 1)).singleElement()
        .satisfies(row -> assertThat(row.getString("outcome")).isEqualTo("error"));
  }

  @Test
  void anEngineThatDiesMidStreamEndsTheStreamWithAnErrorEventAndDone() throws Exception {
    String model = "m-" + Ids.random(8);
    TestEngine dying = engine(TestEngine.Mode.DIE_MID_STREAM);
    gantry.putInstance(model, "running", null, dying.port(), dying.secret);
    serve(model);

    HttpResponse<String> response = gantry.call("POST", "/v1/chat/completions", key, chat(model, true));

    assertThat(response.statusCode()).isEqualTo(200);
    List<String> events = List.of(response.body().split("\n\n"));
    assertThat(events).hasSize(5);
    assertThat(events.get(2)).contains("\" the\"");
    assertThat(events.get(3)).startsWith("data: {\"error\":{").contains("stopped mid-stream", "\"code\":\"upstream_error\"");
    assertThat(events.get(4)).isEqualTo("data: [DONE]");
    assertThat(gantry.usageRows("model = '" + model + "'", 1)).singleElement().satisfies(row -> {
      assertThat(row.getInteger("status")).isEqualTo(502);
      assertThat(row.getString("outcome")).isEqualTo("error");
      assertThat(row.getInteger("completion_tokens")).isEqualTo(3);
    });
  }

  @Test
  void aClientThatDisconnectsMidStreamCancelsTheEngineRequestAndIsRecordedAsCancelled() throws Exception {
    String model = "m-" + Ids.random(8);
    TestEngine slow = engine(TestEngine.Mode.SLOW_STREAM);
    gantry.putInstance(model, "running", null, slow.port(), slow.secret);
    serve(model);

    try (Socket socket = new Socket("127.0.0.1", gantry.port)) {
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

    assertThat(GatewayTestNode.await(slow.closedEarly::get, n -> n == 1, Duration.ofSeconds(5))).isEqualTo(1);
    assertThat(gantry.usageRows("model = '" + model + "'", 1)).singleElement().satisfies(row -> {
      assertThat(row.getString("outcome")).isEqualTo("cancelled");
      assertThat(row.getInteger("status")).isEqualTo(499);
      assertThat(row.getInteger("completion_tokens")).isGreaterThanOrEqualTo(3);
    });
  }

  @Test
  void anInstanceThatStopsRunningGetsNoRequestsWithinASecond() throws Exception {
    String model = "m-" + Ids.random(8);
    TestEngine leaving = engine(TestEngine.Mode.NORMAL);
    TestEngine staying = engine(TestEngine.Mode.NORMAL);
    String leavingId = gantry.putInstance(model, "running", null, leaving.port(), leaving.secret);
    gantry.putInstance(model, "running", null, staying.port(), staying.secret);
    serve(model);
    while (leaving.requests.get() == 0) {
      gantry.call("POST", "/v1/chat/completions", key, chat(model, false));
    }

    gantry.putInstance(leavingId, model, "unreachable", "node n1 left the cluster", leaving.port(), leaving.secret);
    long changed = System.nanoTime();
    long lastSeen = changed;
    int before = leaving.requests.get();
    while (System.nanoTime() - changed < Duration.ofMillis(1500).toNanos()) {
      gantry.call("POST", "/v1/chat/completions", key, chat(model, false));
      if (leaving.requests.get() != before) {
        before = leaving.requests.get();
        lastSeen = System.nanoTime();
      }
    }

    assertThat(Duration.ofNanos(lastSeen - changed)).isLessThan(Duration.ofSeconds(1));
    for (int i = 0; i < 20; i++) {
      gantry.call("POST", "/v1/chat/completions", key, chat(model, false));
    }
    assertThat(leaving.requests.get()).isEqualTo(before);
  }

  @Test
  void withoutARunningReplicaTheAnswerIs503WithThePendingReason() throws Exception {
    String model = "m-" + Ids.random(8);
    gantry.putInstance(model, "pending", "1 node: n1 needs 4.0 GiB of memory, 1.2 GiB free", 1, "s");
    serve(model);

    HttpResponse<String> response = gantry.call("POST", "/v1/embeddings", key,
        new JsonObject().put("model", model).put("input", "x").encode());

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(error(response).getString("message"))
        .isEqualTo("model '" + model + "' has no running replica: pending: 1 1 node: n1 needs 4.0 GiB of memory, 1.2 GiB free");
    assertThat(error(response).getString("type")).isEqualTo("server_error");
    assertThat(gantry.usageRows("model = '" + model + "'", 1)).singleElement()
        .satisfies(row -> assertThat(row.getInteger("status")).isEqualTo(503));
  }

  @Test
  void badRequestsAndWrongScopesAreRejectedInOpenAiShapeAndRecorded() throws Exception {
    String model = "m-" + Ids.random(8);
    String managementKey = gantry.apiKey(true, "management", null).getString("value");
    gantry.putModel(model, "llm");

    HttpResponse<String> noMessages = gantry.call("POST", "/v1/chat/completions", key, "{\"model\":\"" + model + "\"}");
    HttpResponse<String> wrongScope = gantry.call("POST", "/v1/chat/completions", managementKey, chat(model, false));
    HttpResponse<String> noKey = gantry.call("POST", "/v1/chat/completions", "gt-nonsense", chat(model, false));

    assertThat(noMessages.statusCode()).isEqualTo(400);
    assertThat(error(noMessages).getString("message")).contains("field 'messages'");
    assertThat(error(noMessages).getString("type")).isEqualTo("invalid_request_error");
    assertThat(wrongScope.statusCode()).isEqualTo(403);
    assertThat(error(wrongScope).getString("type")).isEqualTo("permission_error");
    assertThat(noKey.statusCode()).isEqualTo(401);
    assertThat(gantry.usageRows("model = '" + model + "'", 2)).extracting(row -> row.getInteger("status"))
        .containsExactlyInAnyOrder(400, 403);
  }

  @Test
  void theRequestIdTravelsToTheEngineAndIntoTheRecordButNeverTheClientsKey() throws Exception {
    String model = "m-" + Ids.random(8);
    TestEngine engine = engine(TestEngine.Mode.NORMAL);
    gantry.putInstance(model, "running", null, engine.port(), engine.secret);
    serve(model);
    String requestId = "trace-" + Ids.random(8);

    HttpResponse<String> response = gantry.call("POST", "/v1/chat/completions", key, chat(model, false),
        "X-Request-Id", requestId);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Request-Id")).contains(requestId);
    assertThat(engine.received.peek().getString("request_id")).isEqualTo(requestId);
    assertThat(gantry.usageRows("model = '" + model + "'", 1)).singleElement()
        .satisfies(row -> assertThat(row.getString("request_id")).isEqualTo(requestId));
  }

  private static TestEngine engine(TestEngine.Mode mode) {
    TestEngine engine = new TestEngine(vertx, Ids.secret(24)).start();
    engine.mode = mode;
    return engine;
  }

  /** Publishes the model and waits until the gateway lists it. */
  private static void serve(String model) throws Exception {
    gantry.putModel(model, "llm");
    GatewayTestNode.await(() -> {
      try {
        return gantry.call("GET", "/v1/models", key, null).body();
      } catch (Exception e) {
        return "";
      }
    }, body -> body.contains("\"" + model + "\""), Duration.ofSeconds(5));
  }

  private static String chat(String model, boolean stream) {
    return new JsonObject().put("model", model).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi"))).encode();
  }

  private static JsonObject error(HttpResponse<String> response) {
    return new JsonObject(response.body()).getJsonObject("error");
  }
}
