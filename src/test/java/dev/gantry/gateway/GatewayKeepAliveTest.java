package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Ids;
import dev.gantry.testing.TestFiles;
import dev.gantry.testmodels.TestModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Engines close their keep-alive connections (after a number of requests, and when idle, racing with
 * the gateway's next request on them); with one replica there is nowhere else to go, so the gateway
 * must send such a request again on a fresh connection: no 5xx under load, every request metered once.
 * The node runs on the transport {@code --socket-transport auto} picks, io_uring where the kernel allows it: with
 * Netty 4.2.9's io_uring channel this run lost answers (clients saw connections close unanswered) or hung.
 */
class GatewayKeepAliveTest {

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
  void thousandsOfRequestsToAnEngineThatClosesKeepAliveConnectionsAllSucceedAndAreMeteredOnce() throws Exception {
    String model = "ka-" + Ids.random(8);
    JsonObject engine = gantry.deployTestEngines(model, 1).get(0);
    gantry.engineMode(engine, "close_keep_alive");
    String run = "ka-" + Ids.random(6);

    LoadRun calm = LoadRun.send(gantry.baseUrl(), key, model, run + "-c8", 1_000, 8, new JsonObject(),
        body -> body.contains(TestEngine.REPLY), body -> body.contains("\" engine\"") && body.endsWith("data: [DONE]\n\n"));
    LoadRun busy = LoadRun.send(gantry.baseUrl(), key, model, run + "-c64", 1_000, 64, new JsonObject(),
        body -> body.contains(TestEngine.REPLY), body -> body.contains("\" engine\"") && body.endsWith("data: [DONE]\n\n"));

    JsonObject stats = gantry.engineStats(engine);
    assertThat(calm.wrong.size() + busy.wrong.size()).as("wrong answers at concurrency 8 %s and 64 %s, first: %s",
        calm.statuses, busy.statuses, calm.wrong.isEmpty() ? busy.wrong : calm.wrong.get(0)).isZero();
    assertThat(calm.count(200) + busy.count(200)).isEqualTo(2_000);
    assertThat(stats.getInteger("closed_after_max")).as("connections the engine closed after %d answers",
        TestEngine.MAX_REQUESTS_PER_CONNECTION).isGreaterThan(0);
    assertThat(stats.getInteger("closed_idle")).as("idle connections the engine closed").isGreaterThan(0);
    assertThat(gantry.usageRows(model, 2_000)).filteredOn(row -> row.getString("request_id").startsWith(run))
        .hasSize(2_000).allSatisfy(row -> assertThat(row.getInteger("status")).isEqualTo(200));
    assertThat(stats.getInteger("requests")).as("requests the engine answered").isGreaterThanOrEqualTo(2_000);
    assertThat(gantry.admin.get("/metrics").body()).containsPattern(
        "gantry_gateway_upstream_connection_failures_total\\{cause=\"(closed|reset)\",instance=\"[^\"]+\",model=\""
            + model + "\",node=\"[^\"]+\",target=\"engine\"} [1-9]");
  }

  @Test
  void hundredsOfRequestsToARealLlamaServerAllSucceedAndAreMeteredOnce() throws Exception {
    Assumptions.assumeTrue(System.getenv("GANTRY_LLAMA_SERVER") != null,
        "GANTRY_LLAMA_SERVER is not set (scripts/test.sh sets it)");
    Path dir = TestFiles.tempDir("gantry-keepalive-gguf-");
    try {
      String model = "ka-llama-" + Ids.random(6);
      gantry.deploy(new JsonObject().put("name", model).put("backend", "llama.cpp")
          .put("local_path", TestModels.deterministic(dir.resolve("deterministic.gguf")).toString())
          .put("backend_parameters", new JsonArray().add("-c").add("2048")), 1);
      String run = "ka-llama-" + Ids.random(6);

      LoadRun load = LoadRun.send(gantry.baseUrl(), key, model, run, 400, 16, new JsonObject().put("max_tokens", 16),
          body -> body.contains(TestModels.REPLY), body -> body.contains("Gantry") && body.endsWith("data: [DONE]\n\n"));

      assertThat(load.wrong).as("wrong answers %s", load.statuses).isEmpty();
      assertThat(load.count(200)).isEqualTo(400);
      assertThat(gantry.usageRows(model, 400)).filteredOn(row -> row.getString("request_id").startsWith(run))
          .hasSize(400).allSatisfy(row -> assertThat(row.getString("outcome")).isEqualTo("ok"));
    } finally {
      TestFiles.deleteRecursively(dir);
    }
  }
}
