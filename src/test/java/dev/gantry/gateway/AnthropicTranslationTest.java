package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.common.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Anthropic Messages requests to OpenAI chat and OpenAI answers and streams back, without a node. */
class AnthropicTranslationTest {

  @Test
  void aRequestBecomesAChatRequestWithSystemStopsAndTools() {
    JsonObject body = new JsonObject("""
        {"model":"m","max_tokens":32,"system":[{"type":"text","text":"Be "},{"type":"text","text":"brief"}],
         "temperature":0.5,"top_p":0.9,"stop_sequences":["END"],"stream":true,"metadata":{"user_id":"u"},
         "tools":[{"name":"weather","description":"d","input_schema":{"type":"object"}}],
         "tool_choice":{"type":"any"},
         "messages":[
           {"role":"user","content":[{"type":"text","text":"Hi "},{"type":"text","text":"there"}]},
           {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"weather","input":{"city":"Oslo"}}]},
           {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"sunny"}]}]}
        """);

    JsonObject chat = AnthropicRequests.toChat(body);

    assertThat(chat.getString("model")).isEqualTo("m");
    assertThat(chat.getLong("max_tokens")).isEqualTo(32);
    assertThat(chat.getValue("temperature")).isEqualTo(0.5);
    assertThat(chat.getJsonArray("stop")).containsExactly("END");
    assertThat(chat.getBoolean("stream")).isTrue();
    assertThat(chat.containsKey("metadata")).isFalse();
    assertThat(chat.getString("tool_choice")).isEqualTo("required");
    assertThat(chat.getJsonArray("tools").getJsonObject(0).getJsonObject("function").getString("name")).isEqualTo("weather");
    JsonArray messages = chat.getJsonArray("messages");
    assertThat(messages.getJsonObject(0)).isEqualTo(new JsonObject().put("role", "system").put("content", "Be brief"));
    assertThat(messages.getJsonObject(1)).isEqualTo(new JsonObject().put("role", "user").put("content", "Hi there"));
    JsonObject call = messages.getJsonObject(2).getJsonArray("tool_calls").getJsonObject(0);
    assertThat(call.getString("id")).isEqualTo("t1");
    assertThat(new JsonObject(call.getJsonObject("function").getString("arguments")).getString("city")).isEqualTo("Oslo");
    assertThat(messages.getJsonObject(3)).isEqualTo(new JsonObject().put("role", "tool").put("tool_call_id", "t1")
        .put("content", "sunny"));
    assertThat(messages).hasSize(4);
  }

  @Test
  void refusalsNameTheField() {
    assertThatThrownBy(() -> AnthropicRequests.toChat(new JsonObject("""
        {"model":"m","max_tokens":8,"messages":[{"role":"user","content":"a"},
         {"role":"user","content":[{"type":"text","text":"b"},{"type":"document","source":{}}]}]}""")))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.getMessage()).contains("'messages[1].content[1].type'").contains("not supported");
        });
    assertThatThrownBy(() -> AnthropicRequests.toChat(new JsonObject("""
        {"model":"m","max_tokens":8,"system":7,"messages":[{"role":"user","content":"a"}]}""")))
        .hasMessageContaining("'system'");
    assertThatThrownBy(() -> AnthropicRequests.toChat(new JsonObject("""
        {"model":"m","max_tokens":1.5,"messages":[{"role":"user","content":"a"}]}""")))
        .hasMessageContaining("'max_tokens'");
  }

  @Test
  void anImageBlockBecomesAnImageUrlPartBesideTheText() {
    JsonObject chat = AnthropicRequests.toChat(new JsonObject("""
        {"model":"m","max_tokens":8,"messages":[{"role":"user","content":[
          {"type":"text","text":"What is this?"},
          {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
          {"type":"image","source":{"type":"url","url":"https://example.org/cat.jpg"}}]}]}"""));

    JsonArray content = chat.getJsonArray("messages").getJsonObject(0).getJsonArray("content");
    assertThat(content).hasSize(3);
    assertThat(content.getJsonObject(0)).isEqualTo(new JsonObject().put("type", "text").put("text", "What is this?"));
    assertThat(content.getJsonObject(1)).isEqualTo(new JsonObject().put("type", "image_url")
        .put("image_url", new JsonObject().put("url", "data:image/png;base64,iVBORw0KGgo=")));
    assertThat(content.getJsonObject(2).getJsonObject("image_url").getString("url")).isEqualTo("https://example.org/cat.jpg");
    assertThatThrownBy(() -> AnthropicRequests.toChat(new JsonObject("""
        {"model":"m","max_tokens":8,"messages":[{"role":"user","content":[
          {"type":"image","source":{"type":"base64","media_type":"image/tiff","data":"AA=="}}]}]}""")))
        .hasMessageContaining("'messages[0].content[0].source.media_type'");
    assertThatThrownBy(() -> AnthropicRequests.toChat(new JsonObject("""
        {"model":"m","max_tokens":8,"messages":[{"role":"assistant","content":[
          {"type":"image","source":{"type":"url","url":"https://example.org/a.png"}}]}]}""")))
        .hasMessageContaining("'messages[0].content[0].type'");
  }

  @Test
  void aWholeAnswerBecomesAMessage() {
    Buffer answer = new JsonObject("""
        {"id":"chatcmpl-1","choices":[{"message":{"role":"assistant","content":"Hello",
          "tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\\"a\\":1}"}}]},
          "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":3,"completion_tokens":4}}""").toBuffer();

    JsonObject message = AnthropicAnswers.message("m", answer);

    assertThat(message.getString("id")).isEqualTo("msg_chatcmpl-1");
    assertThat(message.getString("type")).isEqualTo("message");
    assertThat(message.getString("stop_reason")).isEqualTo("tool_use");
    assertThat(message.getJsonArray("content").getJsonObject(0))
        .isEqualTo(new JsonObject().put("type", "text").put("text", "Hello"));
    assertThat(message.getJsonArray("content").getJsonObject(1).getJsonObject("input").getInteger("a")).isEqualTo(1);
    assertThat(message.getJsonObject("usage").getInteger("input_tokens")).isEqualTo(3);
    assertThat(message.getJsonObject("usage").getInteger("output_tokens")).isEqualTo(4);
    assertThat(AnthropicAnswers.stopReason("length")).isEqualTo("max_tokens");
    assertThat(AnthropicAnswers.stopReason("stop")).isEqualTo("end_turn");
    assertThat(AnthropicAnswers.error(500, Buffer.buffer("{\"error\":{\"message\":\"boom\"}}")))
        .isEqualTo(new JsonObject("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}"));
  }

  @Test
  void aStreamBecomesAnthropicEventsEndingWithTheUsage() {
    StreamTally tally = new StreamTally(false);
    AnthropicStream stream = new AnthropicStream("m");
    List<JsonObject> events = new ArrayList<>();
    for (String data : List.of(
        "{\"id\":\"x\",\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"}}]}",
        "{\"id\":\"x\",\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}",
        "{\"id\":\"x\",\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\"\"}}]}}]}",
        "{\"id\":\"x\",\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\":1}\"}}]}}]}",
        "{\"id\":\"x\",\"choices\":[{\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
        "{\"id\":\"x\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":6}}",
        "[DONE]")) {
      Buffer event = Buffer.buffer("data: " + data + "\n\n");
      if (tally.accept(event)) {
        Buffer out = stream.translate(event, tally);
        if (out != null) {
          for (String part : out.toString().split("\n\n")) {
            events.add(new JsonObject(AnthropicStream.data(part)));
          }
        }
      }
    }

    assertThat(events.stream().map(e -> e.getString("type"))).containsExactly("message_start", "ping",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop");
    assertThat(events.get(0).getJsonObject("message").getString("id")).isEqualTo("msg_x");
    assertThat(events.get(3).getJsonObject("delta").getString("text")).isEqualTo("Hel");
    assertThat(events.get(6).getJsonObject("content_block").getString("name")).isEqualTo("f");
    assertThat(events.get(6).getInteger("index")).isEqualTo(1);
    assertThat(events.get(8).getJsonObject("delta").getString("partial_json")).isEqualTo(":1}");
    JsonObject delta = events.get(10);
    assertThat(delta.getJsonObject("delta").getString("stop_reason")).isEqualTo("tool_use");
    assertThat(delta.getJsonObject("usage").getInteger("output_tokens")).isEqualTo(6);
    assertThat(delta.getJsonObject("usage").getInteger("input_tokens")).isEqualTo(5);
    assertThat(stream.finish(tally)).as("closed once").isNull();
  }
}
