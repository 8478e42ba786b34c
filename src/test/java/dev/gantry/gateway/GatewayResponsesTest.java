package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import dev.gantry.common.Ids;
import dev.gantry.engine.builtin.demo.DemoChatModel;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OpenAI's Responses API ({@code POST /v1/responses}) on a node serving the bundled demo chat model
 * through the builtin engine, which has no Responses API of its own: the official OpenAI Java SDK, whole
 * and streamed, one usage record per request; and raw requests for the event framing and bad bodies.
 */
class GatewayResponsesTest {

  static GatewayTestNode gantry;
  static String demo;
  static JsonObject key;
  static OpenAIClient client;

  @BeforeAll
  static void deploy() {
    gantry = GatewayTestNode.start();
    demo = "tiny-chat-" + Ids.random(6);
    gantry.deploy(new JsonObject().put("name", demo).put("source", "builtin").put("builtin_model", "gantry-tiny-chat"), 1);
    key = gantry.apiKey(true, "inference", null);
    client = OpenAIOkHttpClient.builder().baseUrl(gantry.baseUrl()).apiKey(key.getString("value")).maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    if (gantry != null) {
      gantry.close();
    }
  }

  @Test
  void theSdkGetsAWholeResponseAndAStreamAndEachLeavesOneUsageRecord() {
    String wholeId = "whole-" + Ids.random(8);
    String streamId = "stream-" + Ids.random(8);
    Response whole = client.responses().create(hello().putAdditionalHeader("X-Request-Id", wholeId).build());
    List<ResponseStreamEvent> events;
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(
        hello().putAdditionalHeader("X-Request-Id", streamId).build())) {
      events = stream.stream().toList();
    }

    assertThat(whole.id()).startsWith("resp_");
    assertThat(whole.status()).contains(ResponseStatus.COMPLETED);
    assertThat(whole.output()).singleElement().satisfies(item -> assertThat(text(item)).contains(DemoChatModel.REPLY));
    long input = whole.usage().orElseThrow().inputTokens();
    long output = whole.usage().orElseThrow().outputTokens();
    assertThat(input).isPositive();
    assertThat(output).isEqualTo(DemoChatModel.PIECES.size() + 1);
    assertThat(whole.usage().orElseThrow().totalTokens()).isEqualTo(input + output);

    assertThat(collapsed(events)).containsExactly("created", "in_progress", "output_item.added", "content_part.added",
        "output_text.delta", "output_text.done", "content_part.done", "output_item.done", "completed");
    String streamed = events.stream().flatMap(e -> e.outputTextDelta().stream()).map(d -> d.delta())
        .collect(Collectors.joining());
    assertThat(streamed).contains(DemoChatModel.REPLY);
    assertThat(events.stream().flatMap(e -> e.outputTextDone().stream()).map(d -> d.text())).containsExactly(streamed);
    Response completed = events.get(events.size() - 1).completed().orElseThrow().response();
    assertThat(completed.id()).isEqualTo(events.get(0).created().orElseThrow().response().id());
    assertThat(text(completed.output().get(0))).isEqualTo(streamed);
    assertThat(completed.usage().orElseThrow().inputTokens()).isEqualTo(input);
    assertThat(completed.usage().orElseThrow().outputTokens()).isEqualTo(output);

    JsonObject streamRow = gantry.usageRowOfRequest(streamId);
    assertThat(streamRow.getValue("ttft_ms")).isNotNull();
    assertThat(List.of(gantry.usageRowOfRequest(wholeId), streamRow)).allSatisfy(row -> {
      assertThat(row.getString("operation")).isEqualTo("responses");
      assertThat(row.getLong("prompt_tokens")).isEqualTo(input);
      assertThat(row.getLong("completion_tokens")).isEqualTo(output);
      assertThat(row.getInteger("status")).isEqualTo(200);
      assertThat(row.getString("outcome")).isEqualTo("ok");
      assertThat(row.getString("api_key_id")).isEqualTo(key.getString("id"));
    });
  }

  @Test
  void theStreamIsFramedWithEventNamesAndNumberedFromZero() throws Exception {
    HttpResponse<String> response = gantry.call("POST", "/v1/responses", key.getString("value"), new JsonObject()
        .put("model", demo).put("input", "hi").put("stream", true).encode());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
    List<String> events = List.of(response.body().split("\n\n"));
    for (int i = 0; i < events.size(); i++) {
      String[] lines = events.get(i).split("\n");
      JsonObject data = new JsonObject(lines[1].substring("data: ".length()));
      assertThat(lines[0]).isEqualTo("event: " + data.getString("type"));
      assertThat(data.getInteger("sequence_number")).isEqualTo(i);
    }
    assertThat(response.body()).doesNotContain("[DONE]", "chat.completion");
  }

  @Test
  void anEngineThatDiesMidStreamEndsTheStreamWithAnErrorEvent() throws Exception {
    String model = "m-" + Ids.random(8);
    gantry.engineMode(gantry.deployTestEngines(model, 1).get(0), "die_mid_stream");

    HttpResponse<String> response = gantry.call("POST", "/v1/responses", key.getString("value"), new JsonObject()
        .put("model", model).put("input", "hi").put("stream", true).encode());

    assertThat(response.statusCode()).isEqualTo(200);
    List<String> events = List.of(response.body().split("\n\n"));
    assertThat(events.get(0)).startsWith("event: response.created\n");
    assertThat(events).filteredOn(e -> e.startsWith("event: response.output_text.delta")).hasSize(3);
    assertThat(events.get(events.size() - 1)).startsWith("event: error\n").contains("stopped mid-stream", "upstream_error");
    assertThat(response.body()).doesNotContain("response.completed");
    assertThat(gantry.usageRows(model, 1)).singleElement().satisfies(row -> {
      assertThat(row.getString("operation")).isEqualTo("responses");
      assertThat(row.getInteger("status")).isEqualTo(502);
      assertThat(row.getInteger("completion_tokens")).isEqualTo(3);
    });
  }

  @Test
  void statefulFeaturesAndBadBodiesAre400sNamingTheField() throws Exception {
    assertThatThrownBy(() -> client.responses().create(hello().previousResponseId("resp_123").build()))
        .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage())
            .contains("previous_response_id", "not supported"));
    assertInvalid(new JsonObject().put("model", demo).put("input", "hi").put("store", true), "store");
    assertInvalid(new JsonObject().put("model", demo).put("input", "hi").put("background", true), "background");
    assertInvalid(new JsonObject().put("model", demo), "input");
    assertInvalid(new JsonObject().put("input", "hi"), "model");
    assertInvalid(new JsonObject().put("model", demo).put("input", "hi").put("max_output_tokens", "many"), "max_output_tokens");
    HttpResponse<String> notJson = gantry.call("POST", "/v1/responses", key.getString("value"), "{not json");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(notJson.body()).getJsonObject("error").getString("code")).isEqualTo("invalid_json");
  }

  @Test
  void anUnknownModelIsTheSdksNotFound() {
    assertThatThrownBy(() -> client.responses().create(hello().model("no-such-model").build()))
        .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.getMessage()).contains("no-such-model"));
  }

  private static void assertInvalid(JsonObject body, String field) throws Exception {
    HttpResponse<String> response = gantry.call("POST", "/v1/responses", key.getString("value"), body.encode());
    assertThat(response.statusCode()).as(body.encode()).isEqualTo(400);
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertThat(error.getString("param")).as(response.body()).isEqualTo(field);
    assertThat(error.getString("message")).contains("'" + field + "'");
  }

  /** The event types without their {@code response.} prefix, consecutive text deltas as one. */
  private static List<String> collapsed(List<ResponseStreamEvent> events) {
    List<String> names = new ArrayList<>();
    for (ResponseStreamEvent event : events) {
      String name = event.isCreated() ? "created" : event.isInProgress() ? "in_progress"
          : event.isOutputItemAdded() ? "output_item.added" : event.isContentPartAdded() ? "content_part.added"
          : event.isOutputTextDelta() ? "output_text.delta" : event.isOutputTextDone() ? "output_text.done"
          : event.isContentPartDone() ? "content_part.done" : event.isOutputItemDone() ? "output_item.done"
          : event.isCompleted() ? "completed" : "other: " + event;
      if (names.isEmpty() || !name.equals("output_text.delta") || !names.get(names.size() - 1).equals(name)) {
        names.add(name);
      }
    }
    return names;
  }

  private static String text(ResponseOutputItem item) {
    return item.message().orElseThrow().content().get(0).outputText().orElseThrow().text();
  }

  private static ResponseCreateParams.Builder hello() {
    return ResponseCreateParams.builder().model(demo).instructions("Be brief").input("What can you do?")
        .maxOutputTokens(64);
  }
}
