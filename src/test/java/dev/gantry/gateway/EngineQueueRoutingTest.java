package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Ids;
import dev.gantry.testing.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The gateway reads the engines' own load ({@code gantry.engine-load}, as the engine metrics scraper writes
 * it) when it picks a replica: one whose engine reports a queue gets no new requests while another has none,
 * and between replicas with equal loads the one whose KV cache is emptier gets them.
 */
@DisplayName("The gateway steers requests away from a replica whose engine reports a queue")
class EngineQueueRoutingTest {

  private static GatewayTestNode gantry;

  @BeforeAll
  static void start() {
    gantry = GatewayTestNode.start();
  }

  @AfterAll
  static void stop() {
    gantry.close();
  }

  @Test
  @DisplayName("a replica with requests waiting in its engine is passed over until its queue empties")
  void queuedReplicaIsPassedOver() throws Exception {
    String model = "queued-" + Ids.random(6);
    List<JsonObject> instances = gantry.deployTestEngines(model, 2);
    JsonObject busy = instances.get(0);
    JsonObject idle = instances.get(1);
    String key = gantry.apiKey(false, "*", null).getString("value");

    gantry.engineLoad(busy.getString("id"), reading(model, 40, 0.5));
    gantry.engineLoad(idle.getString("id"), reading(model, 0, 0.5));
    Eventually.await(Duration.ofSeconds(20), () -> assertThat(served(model, key, busy, 10)).isZero());
    assertThat(served(model, key, busy, 30)).as("sequential requests to the replica with a queue").isZero();

    gantry.engineLoad(busy.getString("id"), reading(model, 0, 0.97));
    gantry.engineLoad(idle.getString("id"), reading(model, 0, 0.10));
    Eventually.await(Duration.ofSeconds(20), () -> assertThat(served(model, key, idle, 10)).isEqualTo(10));
    assertThat(served(model, key, busy, 30)).as("sequential requests to the replica with the fuller KV cache").isZero();

    gantry.engineLoad(busy.getString("id"), reading(model, 0, 0.10));
    Eventually.await(Duration.ofSeconds(20), () -> assertThat(served(model, key, busy, 10)).isPositive());
  }

  /** Sends {@code count} chat requests one after another and answers how many reached {@code engine}. */
  private static int served(String model, String key, JsonObject engine, int count) throws Exception {
    int before = gantry.engineStats(engine).getInteger("requests");
    for (int i = 0; i < count; i++) {
      HttpResponse<String> answer = gantry.call("POST", "/v1/chat/completions", key, new JsonObject().put("model", model)
          .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi"))).encode());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }
    return gantry.engineStats(engine).getInteger("requests") - before;
  }

  private static JsonObject reading(String model, double waiting, double kv) {
    return new JsonObject().put("model", model).put("requests_waiting", waiting).put("kv_cache_usage_ratio", kv)
        .put("at", System.currentTimeMillis());
  }
}
