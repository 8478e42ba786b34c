package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OpenAI chat turned into Anthropic Messages for an Anthropic provider, and its answers and events turned back. */
class AnthropicProviderConversionTest {

  @Test
  void systemImagesToolsAndToolResultsBecomeMessagesFields() {
    JsonObject chat = new JsonObject().put("model", "anthropic/claude").put("max_completion_tokens", 99)
        .put("temperature", 0.2).put("stop", "END").put("stream", true).put("messages", new JsonArray()
            .add(new JsonObject().put("role", "system").put("content", "Be brief."))
            .add(new JsonObject().put("role", "developer").put("content", new JsonArray()
                .add(new JsonObject().put("type", "text").put("text", "Use metric units."))))
            .add(new JsonObject().put("role", "user").put("content", new JsonArray()
                .add(new JsonObject().put("type", "text").put("text", "What is this?"))
                .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "data:image/png;base64,iVBOR")))
                .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "https://example.com/a.jpg")))))
            .add(new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", new JsonArray()
                .add(new JsonObject().put("id", "call_1").put("type", "function").put("function", new JsonObject()
                    .put("name", "weather").put("arguments", "{\"city\":\"Oslo\"}")))))
            .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_1").put("content", "5 °C")))
        .put("tools", new JsonArray().add(new JsonObject().put("type", "function").put("function", new JsonObject()
            .put("name", "weather").put("description", "Weather of a city").put("parameters", new JsonObject()
                .put("type", "object").put("properties", new JsonObject().put("city", new JsonObject().put("type", "string")))))))
        .put("tool_choice", "required");

    JsonObject messages = AnthropicProviderRequests.of(chat, "claude-x");

    assertThat(messages.getString("model")).isEqualTo("claude-x");
    assertThat(messages.getInteger("max_tokens")).isEqualTo(99);
    assertThat(messages.getString("system")).isEqualTo("Be brief.\n\nUse metric units.");
    assertThat(messages.getJsonArray("stop_sequences")).containsExactly("END");
    assertThat(messages.getBoolean("stream")).isTrue();
    assertThat(messages.getDouble("temperature")).isEqualTo(0.2);
    JsonArray turns = messages.getJsonArray("messages");
    assertThat(turns).hasSize(3);
    JsonArray user = turns.getJsonObject(0).getJsonArray("content");
    assertThat(user.getJsonObject(0)).isEqualTo(new JsonObject().put("type", "text").put("text", "What is this?"));
    assertThat(user.getJsonObject(1).getJsonObject("source")).isEqualTo(new JsonObject().put("type", "base64")
        .put("media_type", "image/png").put("data", "iVBOR"));
    assertThat(user.getJsonObject(2).getJsonObject("source")).isEqualTo(new JsonObject().put("type", "url")
        .put("url", "https://example.com/a.jpg"));
    JsonObject toolUse = turns.getJsonObject(1).getJsonArray("content").getJsonObject(0);
    assertThat(turns.getJsonObject(1).getString("role")).isEqualTo("assistant");
    assertThat(toolUse).isEqualTo(new JsonObject().put("type", "tool_use").put("id", "call_1").put("name", "weather")
        .put("input", new JsonObject().put("city", "Oslo")));
    assertThat(turns.getJsonObject(2).getString("role")).isEqualTo("user");
    assertThat(turns.getJsonObject(2).getJsonArray("content").getJsonObject(0)).isEqualTo(new JsonObject()
        .put("type", "tool_result").put("tool_use_id", "call_1").put("content", "5 °C"));
    assertThat(messages.getJsonArray("tools").getJsonObject(0).getString("name")).isEqualTo("weather");
    assertThat(messages.getJsonArray("tools").getJsonObject(0).getJsonObject("input_schema").getString("type"))
        .isEqualTo("object");
    assertThat(messages.getJsonObject("tool_choice")).isEqualTo(new JsonObject().put("type", "any"));
    assertThat(AnthropicProviderRequests.of(new JsonObject().put("messages", new JsonArray()), "m")
        .getInteger("max_tokens")).as("Anthropic requires max_tokens").isEqualTo(AnthropicProviderRequests.DEFAULT_MAX_TOKENS);
  }

  @Test
  void aMessageWithTextAndAToolCallBecomesAChatCompletion() {
    Buffer message = new JsonObject().put("id", "msg_9").put("type", "message").put("role", "assistant")
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "Checking."))
            .add(new JsonObject().put("type", "tool_use").put("id", "toolu_1").put("name", "weather")
                .put("input", new JsonObject().put("city", "Oslo"))))
        .put("stop_reason", "tool_use").put("usage", new JsonObject().put("input_tokens", 11).put("output_tokens", 4))
        .toBuffer();

    JsonObject chat = AnthropicProviderAnswers.completion("route-x", message).toJsonObject();

    assertThat(chat.getString("object")).isEqualTo("chat.completion");
    assertThat(chat.getString("id")).isEqualTo("chatcmpl-msg_9");
    assertThat(chat.getString("model")).isEqualTo("route-x");
    JsonObject choice = chat.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("finish_reason")).isEqualTo("tool_calls");
    assertThat(choice.getJsonObject("message").getString("content")).isEqualTo("Checking.");
    JsonObject call = choice.getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0);
    assertThat(call.getString("id")).isEqualTo("toolu_1");
    assertThat(new JsonObject(call.getJsonObject("function").getString("arguments"))).isEqualTo(new JsonObject().put("city", "Oslo"));
    assertThat(chat.getJsonObject("usage")).isEqualTo(new JsonObject().put("prompt_tokens", 11L)
        .put("completion_tokens", 4L).put("total_tokens", 15L));
    JsonObject error = AnthropicProviderAnswers.error(400, new JsonObject().put("type", "error").put("error",
        new JsonObject().put("type", "invalid_request_error").put("message", "max_tokens: too large")).toBuffer())
        .toJsonObject().getJsonObject("error");
    assertThat(error.getString("message")).isEqualTo("max_tokens: too large");
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
  }

  @Test
  void anEventStreamBecomesChatChunksEndingWithUsageAndDone() {
    AnthropicProviderStream stream = new AnthropicProviderStream("claude-route");
    List<String> events = List.of(
        event("message_start", new JsonObject().put("message", new JsonObject().put("id", "msg_s").put("usage",
            new JsonObject().put("input_tokens", 9).put("output_tokens", 1)))),
        event("ping", new JsonObject()),
        event("content_block_start", new JsonObject().put("index", 0).put("content_block",
            new JsonObject().put("type", "text").put("text", ""))),
        event("content_block_delta", new JsonObject().put("index", 0).put("delta",
            new JsonObject().put("type", "text_delta").put("text", "Hel"))),
        event("content_block_delta", new JsonObject().put("index", 0).put("delta",
            new JsonObject().put("type", "text_delta").put("text", "lo"))),
        event("content_block_stop", new JsonObject().put("index", 0)),
        event("content_block_start", new JsonObject().put("index", 1).put("content_block",
            new JsonObject().put("type", "tool_use").put("id", "toolu_2").put("name", "weather").put("input", new JsonObject()))),
        event("content_block_delta", new JsonObject().put("index", 1).put("delta",
            new JsonObject().put("type", "input_json_delta").put("partial_json", "{\"city\":"))),
        event("message_delta", new JsonObject().put("delta", new JsonObject().put("stop_reason", "tool_use"))
            .put("usage", new JsonObject().put("output_tokens", 7))),
        event("message_stop", new JsonObject()));

    List<JsonObject> chunks = new ArrayList<>();
    boolean done = false;
    for (String event : events) {
      Buffer out = stream.convert(Buffer.buffer(event));
      if (out == null) {
        continue;
      }
      for (String piece : out.toString().split("\n\n")) {
        String data = piece.substring("data: ".length());
        if ("[DONE]".equals(data)) {
          done = true;
        } else {
          chunks.add(new JsonObject(data));
        }
      }
    }

    assertThat(done).isTrue();
    assertThat(chunks).allSatisfy(c -> {
      assertThat(c.getString("object")).isEqualTo("chat.completion.chunk");
      assertThat(c.getString("id")).isEqualTo("chatcmpl-msg_s");
      assertThat(c.getString("model")).isEqualTo("claude-route");
    });
    assertThat(chunks).hasSize(7);
    assertThat(delta(chunks.get(0)).getString("role")).isEqualTo("assistant");
    assertThat(delta(chunks.get(1)).getString("content") + delta(chunks.get(2)).getString("content")).isEqualTo("Hello");
    JsonObject toolStart = delta(chunks.get(3)).getJsonArray("tool_calls").getJsonObject(0);
    assertThat(toolStart.getInteger("index")).isZero();
    assertThat(toolStart.getString("id")).isEqualTo("toolu_2");
    assertThat(toolStart.getJsonObject("function").getString("name")).isEqualTo("weather");
    assertThat(delta(chunks.get(4)).getJsonArray("tool_calls").getJsonObject(0).getJsonObject("function")
        .getString("arguments")).isEqualTo("{\"city\":");
    assertThat(chunks.get(5).getJsonArray("choices").getJsonObject(0).getString("finish_reason")).isEqualTo("tool_calls");
    assertThat(chunks.get(6).getJsonArray("choices")).isEmpty();
    assertThat(chunks.get(6).getJsonObject("usage").getLong("completion_tokens")).isEqualTo(7);
    assertThat(chunks.get(6).getJsonObject("usage").getLong("prompt_tokens")).isEqualTo(9);
    assertThat(stream.convert(Buffer.buffer(event("error", new JsonObject().put("error", new JsonObject()
        .put("type", "overloaded_error").put("message", "Overloaded"))))).toString())
        .contains("\"error\"", "Overloaded", "overloaded_error");
  }

  @Test
  void aMessageWhoseContentIsNotAListBecomesAnEmptyCompletionRatherThanAnException() {
    JsonObject chat = new JsonObject(AnthropicProviderAnswers.completion("claude-route",
        Buffer.buffer(new JsonObject().put("id", "msg_x").put("content", "plain text").encode())).toString());
    assertThat(chat.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content")).isEmpty();
  }

  @Test
  void contentBlockIndexesThatAreNegativeHugeOrNotNumbersAreSkippedWithoutFailingTheStream() {
    AnthropicProviderStream stream = new AnthropicProviderStream("claude-route");
    for (Object index : new Object[] {-1, Integer.MAX_VALUE, "x"}) {
      assertThat(stream.convert(Buffer.buffer(event("content_block_start", new JsonObject().put("index", index)
          .put("content_block", new JsonObject().put("type", "tool_use").put("id", "t").put("name", "n")))))).isNull();
      assertThat(stream.convert(Buffer.buffer(event("content_block_delta", new JsonObject().put("index", index)
          .put("delta", new JsonObject().put("type", "input_json_delta").put("partial_json", "{")))))).isNull();
    }
    assertThat(stream.convert(Buffer.buffer(event("content_block_delta", new JsonObject().put("index", 0)
        .put("delta", new JsonObject().put("type", "text_delta").put("text", "still here"))))).toString())
        .contains("still here");
  }

  private static JsonObject delta(JsonObject chunk) {
    return chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
  }

  private static String event(String type, JsonObject data) {
    return "event: " + type + "\ndata: " + data.copy().put("type", type).encode() + "\n\n";
  }
}
