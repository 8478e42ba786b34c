package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Ids;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v2/usage} over real gateway requests that succeed and fail in different ways: counts by outcome
 * and status class, failed requests kept out of the token sums, the {@code outcome} and {@code status_class}
 * filters, and a request whose body named no model recorded with model null.
 */
class GatewayUsageTest {

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
  void usageCountsFailuresApartAndKeepsTheirTokensOutOfTheTotals() throws Exception {
    String model = "m-" + Ids.random(8);
    JsonObject engine = gantry.deployTestEngines(model, 1).get(0);
    String key = gantry.apiKey(true, "*", null).getString("value");
    String unparsed = "unparsed-" + Ids.random(8);

    assertThat(gantry.call("POST", "/v1/chat/completions", key, chat(model, false)).statusCode()).isEqualTo(200);
    assertThat(gantry.call("POST", "/v1/chat/completions", key, chat(model, true)).statusCode()).isEqualTo(200);
    assertThat(gantry.call("POST", "/v1/chat/completions", key, "{\"model\":\"" + model + "\"}").statusCode())
        .isEqualTo(400);
    gantry.engineMode(engine, "die_mid_stream");
    assertThat(gantry.call("POST", "/v1/chat/completions", key, chat(model, true)).statusCode()).isEqualTo(200);
    assertThat(gantry.call("POST", "/v1/chat/completions", key, "{not json", "X-Request-Id", unparsed).statusCode())
        .isEqualTo(400);
    assertThat(gantry.usageRows(model, 4)).hasSize(4);
    JsonObject unparsedRow = gantry.usageRowOfRequest(unparsed);

    assertThat(unparsedRow.getValue("model")).isNull();
    assertThat(unparsedRow.getInteger("status")).isEqualTo(400);
    assertThat(unparsedRow.getString("outcome")).isEqualTo("error");

    List<JsonObject> byModel = usage(key, "group_by=model");
    JsonObject named = item(byModel, model);
    JsonObject unnamed = item(byModel, null);

    assertThat(named.getLong("request_count")).isEqualTo(4);
    assertThat(named.getLong("succeeded_count")).isEqualTo(2);
    assertThat(named.getLong("failed_count")).isEqualTo(2);
    assertThat(named.getLong("cancelled_count")).isZero();
    assertThat(named.getLong("status_2xx")).isEqualTo(2);
    assertThat(named.getLong("status_4xx")).isEqualTo(1);
    assertThat(named.getLong("status_5xx")).as("the stream that broke is recorded as 502").isEqualTo(1);
    assertThat(named.getLong("prompt_tokens")).isEqualTo(2L * TestEngine.PROMPT_TOKENS);
    assertThat(named.getLong("completion_tokens")).as("the broken stream's 3 tokens are left out")
        .isEqualTo(2L * TestEngine.TOKENS.size());
    assertThat(unnamed.getLong("request_count")).isEqualTo(1);
    assertThat(unnamed.getLong("failed_count")).isEqualTo(1);
    assertThat(unnamed.getLong("status_4xx")).isEqualTo(1);
  }

  @Test
  void theOutcomeAndStatusClassFiltersChooseTheRequestsCounted() throws Exception {
    String model = "m-" + Ids.random(8);
    JsonObject engine = gantry.deployTestEngines(model, 1).get(0);
    String key = gantry.apiKey(true, "*", null).getString("value");
    gantry.call("POST", "/v1/chat/completions", key, chat(model, false));
    gantry.call("POST", "/v1/chat/completions", key, "{\"model\":\"" + model + "\"}");
    gantry.engineMode(engine, "fail_500");
    gantry.call("POST", "/v1/chat/completions", key, chat(model, false));
    gantry.usageRows(model, 3);

    JsonObject failed = item(usage(key, "group_by=model&outcome=failed"), model);
    JsonObject succeeded = item(usage(key, "group_by=model&outcome=succeeded&status_class=2xx"), model);
    List<JsonObject> serverErrors = usage(key, "status_class=5xx");
    HttpResponse<String> unknown = gantry.call("GET", "/v2/usage?outcome=ok", key, null);

    assertThat(failed.getLong("request_count")).isEqualTo(2);
    assertThat(failed.getLong("succeeded_count")).isZero();
    assertThat(failed.getLong("status_4xx") + failed.getLong("status_5xx")).isEqualTo(2);
    assertThat(failed.getLong("prompt_tokens") + failed.getLong("completion_tokens")).isZero();
    assertThat(succeeded.getLong("request_count")).isEqualTo(1);
    assertThat(succeeded.getLong("completion_tokens")).isEqualTo(TestEngine.TOKENS.size());
    assertThat(serverErrors).hasSize(1);
    assertThat(serverErrors.get(0).getLong("request_count")).isEqualTo(1);
    assertThat(serverErrors.get(0).getLong("status_5xx")).isEqualTo(1);
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(unknown.body()).getString("message"))
        .contains("'outcome': 'ok' is not one of succeeded, failed, cancelled");
  }

  private static List<JsonObject> usage(String key, String query) throws Exception {
    HttpResponse<String> response = gantry.call("GET", "/v2/usage?" + query, key, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body()).getJsonArray("items").stream().map(JsonObject.class::cast).toList();
  }

  private static JsonObject item(List<JsonObject> items, String model) {
    List<JsonObject> matching = items.stream().filter(item -> Objects.equals(item.getValue("model"), model)).toList();
    assertThat(matching).as("items of model %s in %s", model, items).hasSize(1);
    return matching.get(0);
  }

  private static String chat(String model, boolean stream) {
    return new JsonObject().put("model", model).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi"))).encode();
  }
}
