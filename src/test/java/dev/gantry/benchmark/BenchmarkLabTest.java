package dev.gantry.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Ids;
import dev.gantry.engine.builtin.demo.DemoChatModel;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The benchmark lab against the bundled demo chat model on one in-JVM node: a run's figures agree with
 * what the gateway itself recorded for the same requests, its own API key is gone afterwards, bad
 * profiles are refused by field, and a long run can be cancelled from the API.
 */
@DisplayName("Benchmark lab: load profiles through the gateway, results that agree with the gateway's own metrics")
class BenchmarkLabTest {

  private static final Duration RUN = Duration.ofSeconds(90);
  private static TestNodes nodes;
  private static Api admin;
  private static String model;

  @BeforeAll
  static void deployTheDemoModel() {
    nodes = TestNodes.start(1);
    admin = nodes.admin(1);
    model = "bench-chat-" + Ids.random(5).toLowerCase();
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", model).put("source", "builtin")
        .put("builtin_model", "gantry-tiny-chat")), 201);
    Eventually.await(Duration.ofSeconds(60), () -> assertThat(Api.expect(admin.get("/v2/model-instances?model_name=" + model), 200)
        .getJsonArray("items").stream().map(i -> ((JsonObject) i).getString("state"))).contains("running"));
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  @DisplayName("20 streamed requests: TTFT and counts agree with the gateway's histogram; SLA checked; the run's key is deleted")
  void aRunAgreesWithTheGatewaysOwnMetrics() {
    double ttftCountBefore = gatewayTtft("count");
    double ttftSumBefore = gatewayTtft("sum");

    JsonObject started = Api.expect(admin.post("/v2/benchmarks", new JsonObject().put("model", model).put("sla", "chat")
        .put("profile", new JsonObject().put("requests", 20).put("concurrency", 2).put("prompt_tokens",
            new JsonObject().put("min", 8).put("max", 32)).put("max_tokens", 16))), 202);
    assertThat(started.getString("state")).isEqualTo("running");
    assertThat(started.getJsonObject("spec").getString("builtin_model")).isEqualTo("gantry-tiny-chat");
    assertThat(started.getJsonObject("hardware").getJsonArray("nodes").getJsonObject(0).getString("node")).isEqualTo(nodes.name(1));
    JsonObject run = awaitEnd(started.getString("id"));

    assertThat(run.getString("state")).as(run.encodePrettily()).isEqualTo("completed");
    JsonObject results = run.getJsonObject("results");
    assertThat(results.getInteger("requests")).isEqualTo(20);
    assertThat(results.getInteger("succeeded")).isEqualTo(20);
    assertThat(results.getLong("output_tokens")).isEqualTo(20L * Math.min(16, DemoChatModel.PIECES.size() + 1));
    JsonObject ttft = results.getJsonObject("ttft_ms");
    assertThat(ttft.getInteger("count")).isEqualTo(20);
    assertThat(ttft.getDouble("p50")).isLessThanOrEqualTo(ttft.getDouble("p95"));
    assertThat(results.getJsonObject("tpot_ms").getInteger("count")).isEqualTo(20);
    assertThat(results.getJsonArray("series")).hasSize(20);
    assertThat(results.getJsonObject("sla").getString("preset")).isEqualTo("chat");
    assertThat(results.getJsonObject("sla").getJsonArray("targets")).hasSize(3);

    double gatewayCount = gatewayTtft("count") - ttftCountBefore;
    double gatewayMeanMs = (gatewayTtft("sum") - ttftSumBefore) / gatewayCount * 1000;
    assertThat(gatewayCount).as("requests the gateway timed").isEqualTo(20);
    // the client's TTFT adds the loopback hop and its own parsing to the gateway's: same requests, close figures
    assertThat(ttft.getDouble("mean")).isGreaterThanOrEqualTo(gatewayMeanMs * 0.9)
        .isLessThanOrEqualTo(gatewayMeanMs * 1.5 + 25);

    assertThat(admin.get("/v2/api-keys").body()).doesNotContain("benchmark-" + run.getString("id"));
    JsonObject listed = Api.expect(admin.get("/v2/benchmarks?model=" + model), 200);
    assertThat(listed.getJsonArray("items").getJsonObject(0).getJsonObject("results").containsKey("series")).isFalse();
    assertThat(admin.delete("/v2/benchmarks/" + run.getString("id")).status()).isEqualTo(204);
    assertThat(admin.get("/v2/benchmarks/" + run.getString("id")).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("a run at a slow rate is cancelled from the API and keeps what it measured")
  void aRunningBenchmarkIsCancelled() {
    JsonObject started = Api.expect(admin.post("/v2/benchmarks", new JsonObject().put("model", model)
        .put("profile", new JsonObject().put("duration_seconds", 120).put("rate", 2).put("arrival", "poisson")
            .put("max_tokens", 4))), 202);
    String id = started.getString("id");
    Eventually.await(RUN, () -> assertThat(Api.expect(admin.get("/v2/benchmarks/" + id), 200)
        .getJsonObject("progress").getInteger("completed", 0)).isGreaterThanOrEqualTo(2));

    Api.Response cancel = admin.delete("/v2/benchmarks/" + id);

    assertThat(cancel.status()).isEqualTo(202);
    JsonObject run = awaitEnd(id);
    assertThat(run.getString("state")).isEqualTo("cancelled");
    assertThat(run.getString("message")).startsWith("cancelled after");
    assertThat(run.getJsonObject("results").getInteger("requests")).isGreaterThanOrEqualTo(2).isLessThan(240);
  }

  @Test
  @DisplayName("bad requests are refused naming the field, and nothing is recorded")
  void badRequestsAreRefusedByField() {
    int before = Api.expect(admin.get("/v2/benchmarks"), 200).getJsonArray("items").size();

    assertRefused(new JsonObject().put("model", model).put("profile", new JsonObject().put("concurrency", 0)), 400, "profile.concurrency");
    assertRefused(new JsonObject().put("model", model).put("profile", new JsonObject().put("max_tokens",
        new JsonObject().put("min", 9).put("max", 3))), 400, "profile.max_tokens");
    assertRefused(new JsonObject().put("model", model).put("profile", new JsonObject().put("arrival", "poisson")), 400, "needs a rate");
    assertRefused(new JsonObject().put("model", model).put("sla", "fast"), 400, "chat, code-completion, batch");
    assertRefused(new JsonObject().put("model", model).put("sla", new JsonObject().put("targets",
        new JsonObject().put("ttft_p42_ms", 1))), 400, "ttft_p42_ms");
    assertRefused(new JsonObject().put("model", "no-such-model"), 404, "no-such-model");
    assertRefused(new JsonObject(), 400, "model");
    assertThat(nodes.api(1).post("/v2/benchmarks", new JsonObject().put("model", model)).status()).isEqualTo(401);

    assertThat(Api.expect(admin.get("/v2/benchmarks"), 200).getJsonArray("items")).hasSize(before);
  }

  private static void assertRefused(JsonObject body, int status, String text) {
    Api.Response response = admin.post("/v2/benchmarks", body);
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.json().getString("message")).contains(text);
  }

  private static JsonObject awaitEnd(String id) {
    JsonObject[] run = new JsonObject[1];
    Eventually.await(RUN, () -> {
      run[0] = Api.expect(admin.get("/v2/benchmarks/" + id), 200);
      assertThat(run[0].getString("state")).isIn("completed", "cancelled", "failed");
    });
    return run[0];
  }

  /** The gateway's own TTFT histogram for the model: _count or _sum (seconds) over its series. */
  private static double gatewayTtft(String part) {
    String prefix = "gantry_gateway_ttft_seconds_" + part + "{";
    return admin.get("/metrics").body().lines().filter(l -> l.startsWith(prefix) && l.contains("model=\"" + model + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }
}
