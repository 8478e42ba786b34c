package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Ids;
import dev.gantry.testing.Api;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cost budgets on a real node: a priced model ({@code PUT /v2/limits/{name}} with prices), a key whose daily
 * cost budget is spent after three requests and then answers {@code insufficient_quota}, the key's remaining
 * budget in {@code /v2}, and the cost on usage records and in {@code /v2/usage}.
 */
class GatewayCostBudgetTest {

  /** Prices chosen so one test engine answer (7 prompt + 6 completion tokens) costs 0.07 + 0.12 = 0.19. */
  private static final double PROMPT_PRICE = 10_000;
  private static final double COMPLETION_PRICE = 20_000;
  private static final double ONE_ANSWER = (TestEngine.PROMPT_TOKENS * PROMPT_PRICE
      + TestEngine.TOKENS.size() * COMPLETION_PRICE) / 1_000_000;

  static GatewayTestNode gantry;

  @BeforeAll
  static void startNode() {
    gantry = GatewayTestNode.start();
  }

  @AfterAll
  static void stopNode() {
    gantry.close();
  }

  @Test
  void aSpentCostBudgetAnswersInsufficientQuotaAndUsageShowsTheCost() throws Exception {
    String model = "priced-" + Ids.random(8);
    gantry.deployTestEngines(model, 1);
    JsonObject priced = Api.expect(put("/v2/limits/" + model, new JsonObject().put("prices", new JsonObject()
        .put("prompt_per_million", PROMPT_PRICE).put("completion_per_million", COMPLETION_PRICE))), 200);
    assertThat(priced.getJsonObject("prices").getDouble("completion_per_million")).isEqualTo(COMPLETION_PRICE);
    JsonObject key = gantry.admin.createKey(new JsonObject().put("name", "k-" + Ids.random(6)).put("scope", "*")
        .put("limits", new JsonObject().put("cost_per_day", 3 * ONE_ANSWER)));

    for (int i = 0; i < 3; i++) {
      HttpResponse<String> answer = gantry.call("POST", "/v1/chat/completions", key.getString("value"), chat(model));
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }
    HttpResponse<String> refused = gantry.call("POST", "/v1/chat/completions", key.getString("value"), chat(model));

    assertThat(refused.statusCode()).isEqualTo(429);
    JsonObject error = new JsonObject(refused.body()).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("insufficient_quota");
    assertThat(error.getString("message")).contains("has spent its budget of 0.57 USD for today");
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    JsonObject budget = Api.expect(gantry.admin.get("/v2/api-keys/" + key.getString("id")), 200)
        .getJsonObject("quota").getJsonObject("cost_per_day");
    assertThat(budget.getDouble("used")).isCloseTo(3 * ONE_ANSWER, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(budget.getDouble("remaining")).isZero();
    assertThat(budget.getString("currency")).isEqualTo("USD");

    List<JsonObject> rows = gantry.usageRows(model, 4);
    assertThat(rows.stream().filter(r -> "ok".equals(r.getString("outcome"))).map(r -> Double.parseDouble(
        String.valueOf(r.getValue("cost"))))).containsExactly(ONE_ANSWER, ONE_ANSWER, ONE_ANSWER);
    JsonObject summary = Api.expect(gantry.admin.get("/v2/usage?group_by=model"), 200).getJsonArray("items").stream()
        .map(JsonObject.class::cast).filter(i -> model.equals(i.getString("model"))).findFirst().orElseThrow();
    assertThat(summary.getDouble("cost")).isCloseTo(3 * ONE_ANSWER, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void negativePricesAndBudgetsAre400sNamingTheField() {
    Api.Response price = put("/v2/limits/m-" + Ids.random(6), new JsonObject().put("prices",
        new JsonObject().put("prompt_per_million", -1)));
    assertThat(price.status()).isEqualTo(400);
    assertThat(price.body()).contains("prompt_per_million");
    Api.Response budget = gantry.admin.post("/v2/api-keys", new JsonObject().put("name", "k-" + Ids.random(6))
        .put("scope", "*").put("limits", new JsonObject().put("cost_per_month", -5)));
    assertThat(budget.status()).isEqualTo(400);
    assertThat(budget.body()).contains("cost_per_month");
  }

  private static Api.Response put(String path, JsonObject body) {
    return gantry.admin.send("PUT", path, "application/json", body.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static String chat(String model) {
    return new JsonObject().put("model", model)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi"))).encode();
  }
}
