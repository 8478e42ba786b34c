package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.NotFoundException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlock;
import dev.gantry.common.Ids;
import dev.gantry.engine.builtin.demo.DemoChatModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Anthropic's Messages API ({@code POST /v1/messages}) on a node serving the bundled demo chat model:
 * the official Anthropic Java SDK, whole and streamed, one usage record per request; and raw requests
 * for what the SDK cannot send (bad bodies, missing keys).
 */
class GatewayAnthropicTest {

  static GatewayTestNode gantry;
  static String demo;
  static JsonObject key;
  static AnthropicClient client;

  @BeforeAll
  static void deploy() {
    gantry = GatewayTestNode.start();
    demo = "tiny-chat-" + Ids.random(6);
    gantry.deploy(new JsonObject().put("name", demo).put("source", "builtin").put("builtin_model", "gantry-tiny-chat"), 1);
    key = gantry.apiKey(true, "inference", null);
    client = AnthropicOkHttpClient.builder().baseUrl(gantry.nodes.url(1)).apiKey(key.getString("value"))
        .maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    if (gantry != null) {
      gantry.close();
    }
  }

  @Test
  void theSdkGetsAWholeMessageAndAStreamAndEachLeavesOneUsageRecord() {
    String wholeId = "whole-" + Ids.random(8);
    String streamId = "stream-" + Ids.random(8);
    Message whole = client.messages().create(hello().putAdditionalHeader("X-Request-Id", wholeId).build());
    List<RawMessageStreamEvent> events;
    MessageAccumulator accumulated = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(
        hello().putAdditionalHeader("X-Request-Id", streamId).build())) {
      events = stream.stream().peek(accumulated::accumulate).toList();
    }

    assertThat(whole.id()).startsWith("msg_");
    assertThat(whole.content()).singleElement().satisfies(block -> assertThat(block.text().map(TextBlock::text))
        .hasValueSatisfying(text -> assertThat(text).contains(DemoChatModel.REPLY)));
    assertThat(whole.stopReason()).contains(StopReason.END_TURN);
    assertThat(whole.usage().inputTokens()).isPositive();
    assertThat(whole.usage().outputTokens()).isEqualTo(DemoChatModel.PIECES.size() + 1);

    assertThat(events.get(0).isMessageStart()).isTrue();
    assertThat(events.get(events.size() - 1).isMessageStop()).isTrue();
    String streamed = events.stream().flatMap(e -> e.contentBlockDelta().stream())
        .map(delta -> delta.delta().text().orElseThrow().text()).collect(Collectors.joining());
    assertThat(streamed).contains(DemoChatModel.REPLY);
    var delta = events.stream().flatMap(e -> e.messageDelta().stream()).toList();
    assertThat(delta).singleElement().satisfies(d -> {
      assertThat(d.delta().stopReason()).contains(StopReason.END_TURN);
      assertThat(d.usage().outputTokens()).isEqualTo(whole.usage().outputTokens());
      assertThat(d.usage().inputTokens()).contains(whole.usage().inputTokens());
    });
    Message assembled = accumulated.message();
    assertThat(assembled.content().get(0).text().orElseThrow().text()).isEqualTo(streamed);
    assertThat(assembled.stopReason()).contains(StopReason.END_TURN);
    assertThat(assembled.usage().inputTokens()).isEqualTo(whole.usage().inputTokens());
    assertThat(assembled.usage().outputTokens()).isEqualTo(whole.usage().outputTokens());

    JsonObject streamRow = gantry.usageRowOfRequest(streamId);
    assertThat(streamRow.getValue("ttft_ms")).isNotNull();
    assertThat(List.of(gantry.usageRowOfRequest(wholeId), streamRow)).allSatisfy(row -> {
      assertThat(row.getString("operation")).isEqualTo("messages");
      assertThat(row.getLong("prompt_tokens")).isEqualTo(whole.usage().inputTokens());
      assertThat(row.getLong("completion_tokens")).isEqualTo(whole.usage().outputTokens());
      assertThat(row.getInteger("status")).isEqualTo(200);
      assertThat(row.getString("outcome")).isEqualTo("ok");
      assertThat(row.getString("api_key_id")).isEqualTo(key.getString("id"));
    });
  }

  @Test
  void anEngineThatDiesMidStreamEndsTheAnthropicStreamWithAnErrorEvent() throws Exception {
    String model = "m-" + Ids.random(8);
    gantry.engineMode(gantry.deployTestEngines(model, 1).get(0), "die_mid_stream");

    HttpResponse<String> response = gantry.call("POST", "/v1/messages", key.getString("value"), new JsonObject()
        .put("model", model).put("max_tokens", 16).put("stream", true).put("messages", user("hi")).encode());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
    List<String> events = List.of(response.body().split("\n\n"));
    assertThat(events.get(0)).startsWith("event: message_start\ndata: {\"type\":\"message_start\"");
    assertThat(events).filteredOn(e -> e.startsWith("event: content_block_delta")).hasSize(3);
    assertThat(events.get(events.size() - 1)).startsWith("event: error\ndata: {\"type\":\"error\"")
        .contains("\"api_error\"", "stopped mid-stream");
    assertThat(response.body()).doesNotContain("message_stop", "[DONE]");
    assertThat(gantry.usageRows(model, 1)).singleElement().satisfies(row -> {
      assertThat(row.getString("operation")).isEqualTo("messages");
      assertThat(row.getInteger("status")).isEqualTo(502);
      assertThat(row.getString("outcome")).isEqualTo("error");
      assertThat(row.getInteger("completion_tokens")).isEqualTo(3);
    });
  }

  @Test
  void anUnknownModelIsTheSdksNotFound() {
    assertThatThrownBy(() -> client.messages().create(hello().model("no-such-model").build()))
        .isInstanceOfSatisfying(NotFoundException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(404);
          assertThat(e.getMessage()).contains("no-such-model");
        });
  }

  @Test
  void badBodiesAre400InAnthropicsShapeNamingTheField() throws Exception {
    assertInvalid(new JsonObject().put("model", demo).put("messages", user("hi")), "max_tokens");
    assertInvalid(new JsonObject().put("model", demo).put("max_tokens", 0).put("messages", user("hi")), "max_tokens");
    assertInvalid(new JsonObject().put("max_tokens", 8).put("messages", user("hi")), "model");
    assertInvalid(new JsonObject().put("model", demo).put("max_tokens", 8).put("messages", new JsonArray()), "messages");
    assertInvalid(new JsonObject().put("model", demo).put("max_tokens", 8).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", "hi"))), "messages[0].role");
    assertInvalid(new JsonObject().put("model", demo).put("max_tokens", 8).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "document").put("source", new JsonObject()))))),
        "messages[0].content[0].type");
    assertInvalid(new JsonObject().put("model", demo).put("max_tokens", 8).put("messages", user("hi"))
        .put("stop_sequences", "STOP"), "stop_sequences");

    HttpResponse<String> notJson = gantry.call("POST", "/v1/messages", key.getString("value"), "{not json");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(anthropicError(notJson).getString("type")).isEqualTo("invalid_request_error");
  }

  @Test
  void theKeyWorksAsBearerTooAndIsRequired() throws Exception {
    String body = new JsonObject().put("model", demo).put("max_tokens", 16).put("messages", user("hi")).encode();

    HttpResponse<String> bearer = gantry.call("POST", "/v1/messages", key.getString("value"), body);
    HttpResponse<String> none = gantry.call("POST", "/v1/messages", null, body);
    HttpResponse<String> wrong = gantry.call("POST", "/v1/messages", null, body, "x-api-key", "gt-wrong-key");

    assertThat(bearer.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(bearer.body()).getString("type")).isEqualTo("message");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(anthropicError(none).getString("type")).isEqualTo("authentication_error");
    assertThat(anthropicError(none).getString("message")).contains("x-api-key");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(anthropicError(wrong).getString("type")).isEqualTo("authentication_error");
    HttpResponse<String> unknown = gantry.call("POST", "/v1/messages", key.getString("value"),
        new JsonObject().put("model", "nope-" + Ids.random(4)).put("max_tokens", 8).put("messages", user("hi")).encode());
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(anthropicError(unknown).getString("type")).isEqualTo("not_found_error");
  }

  @Test
  void theAnthropicHeaderIsNoKeyOutsideV1() throws Exception {
    HttpResponse<String> management = gantry.call("GET", "/v2/users/me", null, null, "x-api-key",
        key.getString("value"));

    assertThat(management.statusCode()).isEqualTo(401);
  }

  @Test
  void oneModelIsDescribedInOpenAisShape() throws Exception {
    HttpResponse<String> found = gantry.call("GET", "/v1/models/" + demo, key.getString("value"), null);
    HttpResponse<String> missing = gantry.call("GET", "/v1/models/nope-" + Ids.random(4), key.getString("value"), null);

    assertThat(found.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(found.body()).getString("id")).isEqualTo(demo);
    assertThat(new JsonObject(found.body()).getString("object")).isEqualTo("model");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(missing.body()).getJsonObject("error").getString("code")).isEqualTo("model_not_found");
  }

  private static void assertInvalid(JsonObject body, String field) throws Exception {
    HttpResponse<String> response = gantry.call("POST", "/v1/messages", key.getString("value"), body.encode());
    assertThat(response.statusCode()).as(body.encode()).isEqualTo(400);
    JsonObject error = anthropicError(response);
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
    assertThat(error.getString("message")).as(body.encode()).contains("'" + field + "'");
  }

  private static JsonObject anthropicError(HttpResponse<String> response) {
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("type")).as(response.body()).isEqualTo("error");
    return body.getJsonObject("error");
  }

  private static JsonArray user(String text) {
    return new JsonArray().add(new JsonObject().put("role", "user").put("content", text));
  }

  private static MessageCreateParams.Builder hello() {
    return MessageCreateParams.builder().model(demo).maxTokens(64).system("Be brief").addUserMessage("What can you do?");
  }
}
