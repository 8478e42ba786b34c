package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Ids;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's view of a model reaches the alert rules: a model whose only engine answers 500 fires a
 * {@code model_error_rate} rule, naming the share and the count (the minimum of requests and the window are
 * covered by {@code AlertEvaluatorTest} and {@code ModelHealthTest}).
 */
class ModelErrorRateAlertTest {

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
  void aModelAnsweringServerErrorsFiresItsErrorRateRule() throws Exception {
    String model = "m-" + Ids.random(8);
    JsonObject engine = gantry.deployTestEngines(model, 1).get(0);
    JsonObject rule = Api.expect(gantry.admin.post("/v2/alert-rules", new JsonObject().put("kind", "model_error_rate")
        .put("threshold", 0.5).put("min_requests", 6).put("model", model).put("severity", "critical")), 201);
    gantry.engineMode(engine, "fail_500");

    for (int i = 0; i < 6; i++) {
      HttpResponse<String> response = gantry.call("POST", "/v1/chat/completions", key, chat(model));
      assertThat(response.statusCode()).as(response.body()).isBetween(500, 599);
    }

    Eventually.await(Duration.ofSeconds(30), () -> assertThat(firing(rule.getString("id") + "/" + model)).isNotNull());
    JsonObject alert = firing(rule.getString("id") + "/" + model);
    assertThat(alert.getString("message")).isEqualTo("model " + model + " answered 100.0 % of 6 requests with a server "
        + "error over the last 5 min (threshold 50.0 %)");
    assertThat(alert.getString("severity")).isEqualTo("critical");
    assertThat(alert.getJsonObject("labels").getString("model")).isEqualTo(model);
  }

  private static JsonObject firing(String id) {
    JsonArray items = Api.expect(gantry.admin.get("/v2/alerts?state=firing"), 200).getJsonArray("items");
    return items.stream().map(JsonObject.class::cast).filter(a -> id.equals(a.getString("id"))).findFirst().orElse(null);
  }

  private static String chat(String model) {
    return new JsonObject().put("model", model).put("stream", false)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi"))).encode();
  }
}
