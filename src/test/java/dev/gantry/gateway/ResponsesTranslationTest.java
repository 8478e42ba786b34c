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

/** OpenAI Responses requests to chat, and chat answers and streams back to Responses, without a node. */
class ResponsesTranslationTest {

  @Test
  void itemsInstructionsToolsAndOutputsBecomeAChatRequest() {
    JsonObject chat = ResponsesRequests.toChat(new JsonObject("""
        {"model":"m","instructions":"Be brief","max_output_tokens":20,"temperature":0.3,"top_p":0.8,"stream":true,
         "store":false,"parallel_tool_calls":false,
         "tools":[{"type":"function","name":"weather","description":"d","parameters":{"type":"object"}}],
         "tool_choice":{"type":"function","name":"weather"},
         "text":{"format":{"type":"json_object"}},
         "input":[
           {"role":"developer","content":"Use Celsius"},
           {"type":"message","role":"user","content":[{"type":"input_text","text":"Look: "},
              {"type":"input_image","image_url":"data:image/png;base64,AA==","detail":"low"}]},
           {"type":"function_call","call_id":"c1","name":"weather","arguments":"{\\"city\\":\\"Oslo\\"}"},
           {"type":"function_call","call_id":"c2","name":"weather","arguments":"{}"},
           {"type":"function_call_output","call_id":"c1","output":"sunny"},
           {"type":"reasoning","summary":[]},
           {"role":"assistant","content":[{"type":"output_text","text":"It is sunny."}]}]}
        """));

    assertThat(chat.getLong("max_tokens")).isEqualTo(20);
    assertThat(chat.getValue("temperature")).isEqualTo(0.3);
    assertThat(chat.getBoolean("stream")).isTrue();
    assertThat(chat.getBoolean("parallel_tool_calls")).isFalse();
    assertThat(chat.getJsonObject("response_format").getString("type")).isEqualTo("json_object");
    assertThat(chat.getJsonObject("tool_choice").getJsonObject("function").getString("name")).isEqualTo("weather");
    assertThat(chat.getJsonArray("tools").getJsonObject(0).getJsonObject("function").getJsonObject("parameters"))
        .isEqualTo(new JsonObject().put("type", "object"));
    JsonArray messages = chat.getJsonArray("messages");
    assertThat(messages).hasSize(6);
    assertThat(messages.getJsonObject(0)).isEqualTo(new JsonObject().put("role", "system").put("content", "Be brief"));
    assertThat(messages.getJsonObject(1)).isEqualTo(new JsonObject().put("role", "system").put("content", "Use Celsius"));
    JsonArray parts = messages.getJsonObject(2).getJsonArray("content");
    assertThat(parts.getJsonObject(0)).isEqualTo(new JsonObject().put("type", "text").put("text", "Look: "));
    assertThat(parts.getJsonObject(1)).isEqualTo(new JsonObject().put("type", "image_url")
        .put("image_url", new JsonObject().put("url", "data:image/png;base64,AA==").put("detail", "low")));
    JsonArray calls = messages.getJsonObject(3).getJsonArray("tool_calls");
    assertThat(calls).hasSize(2);
    assertThat(calls.getJsonObject(0).getString("id")).isEqualTo("c1");
    assertThat(calls.getJsonObject(0).getJsonObject("function").getString("arguments")).isEqualTo("{\"city\":\"Oslo\"}");
    assertThat(messages.getJsonObject(4)).isEqualTo(new JsonObject().put("role", "tool").put("tool_call_id", "c1")
        .put("content", "sunny"));
    assertThat(messages.getJsonObject(5)).isEqualTo(new JsonObject().put("role", "assistant").put("content", "It is sunny."));
    assertThat(ResponsesRequests.toChat(new JsonObject().put("model", "m").put("input", "hi")).getJsonArray("messages"))
        .containsExactly(new JsonObject().put("role", "user").put("content", "hi"));
  }

  @Test
  void statefulFieldsAndBadBodiesAre400sNamingTheField() {
    assertRefused("{\"model\":\"m\",\"input\":\"hi\",\"previous_response_id\":\"resp_1\"}", "previous_response_id", "not supported");
    assertRefused("{\"model\":\"m\",\"input\":\"hi\",\"store\":true}", "store", "not supported");
    assertRefused("{\"model\":\"m\",\"input\":\"hi\",\"background\":true}", "background", "not supported");
    assertRefused("{\"model\":\"m\",\"input\":\"hi\",\"conversation\":\"conv_1\"}", "conversation", "not supported");
    assertRefused("{\"model\":\"m\"}", "input", "is required");
    assertRefused("{\"input\":\"hi\"}", "model", "is required");
    assertRefused("{\"model\":\"m\",\"input\":\"hi\",\"max_output_tokens\":0}", "max_output_tokens", "at least 1");
    assertRefused("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_file\",\"file_id\":\"f\"}]}]}",
        "input[0].content[0].type", "input_file");
    assertRefused("{\"model\":\"m\",\"input\":[{\"type\":\"item_reference\",\"id\":\"x\"}]}", "input[0].type", "not supported");
    assertRefused("{\"model\":\"m\",\"input\":\"hi\",\"tools\":[{\"type\":\"web_search\"}]}", "tools[0].type", "function");
    assertRefused("{\"model\":\"m\",\"input\":[{\"type\":\"function_call_output\",\"output\":\"x\"}]}", "input[0].call_id", "is required");
  }

  @Test
  void aWholeChatAnswerBecomesAResponse() {
    JsonObject request = new JsonObject().put("model", "m").put("input", "hi").put("instructions", "Be brief")
        .put("metadata", new JsonObject().put("k", "v"));
    Buffer answer = new JsonObject("""
        {"id":"chatcmpl-1","choices":[{"message":{"role":"assistant","content":"Hello",
          "tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\\"a\\":1}"}}]},
          "finish_reason":"length"}],"usage":{"prompt_tokens":3,"completion_tokens":4}}""").toBuffer();

    JsonObject response = ResponsesAnswers.response(request, "m", answer);

    assertThat(response.getString("id")).startsWith("resp_");
    assertThat(response.getString("object")).isEqualTo("response");
    assertThat(response.getString("status")).isEqualTo("incomplete");
    assertThat(response.getJsonObject("incomplete_details").getString("reason")).isEqualTo("max_output_tokens");
    assertThat(response.getString("instructions")).isEqualTo("Be brief");
    assertThat(response.getJsonObject("metadata").getString("k")).isEqualTo("v");
    JsonArray output = response.getJsonArray("output");
    assertThat(output.getJsonObject(0).getString("type")).isEqualTo("message");
    assertThat(output.getJsonObject(0).getJsonArray("content").getJsonObject(0).getString("type")).isEqualTo("output_text");
    assertThat(output.getJsonObject(0).getJsonArray("content").getJsonObject(0).getString("text")).isEqualTo("Hello");
    assertThat(output.getJsonObject(1).getString("type")).isEqualTo("function_call");
    assertThat(output.getJsonObject(1).getString("call_id")).isEqualTo("c1");
    assertThat(output.getJsonObject(1).getString("arguments")).isEqualTo("{\"a\":1}");
    JsonObject usage = response.getJsonObject("usage");
    assertThat(usage.getInteger("input_tokens")).isEqualTo(3);
    assertThat(usage.getInteger("output_tokens")).isEqualTo(4);
    assertThat(usage.getInteger("total_tokens")).isEqualTo(7);
  }

  @Test
  void aChatStreamBecomesResponsesEventsInOrderWithSequenceNumbers() {
    StreamTally tally = new StreamTally(false);
    ResponsesStream stream = new ResponsesStream(new JsonObject().put("model", "m").put("input", "hi"), "m");
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
            assertThat(part).startsWith("event: ");
            events.add(new JsonObject(AnthropicStream.data(part)));
          }
        }
      }
    }

    assertThat(events.stream().map(e -> e.getString("type"))).containsExactly("response.created",
        "response.in_progress", "response.output_item.added", "response.content_part.added",
        "response.output_text.delta", "response.output_text.delta", "response.output_text.done",
        "response.content_part.done", "response.output_item.done", "response.output_item.added",
        "response.function_call_arguments.delta", "response.function_call_arguments.delta",
        "response.function_call_arguments.done", "response.output_item.done", "response.completed");
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).getInteger("sequence_number")).isEqualTo(i);
    }
    assertThat(events.get(6).getString("text")).isEqualTo("Hello");
    assertThat(events.get(12).getString("arguments")).isEqualTo("{\"a\":1}");
    assertThat(events.get(13).getInteger("output_index")).isEqualTo(1);
    JsonObject completed = events.get(14).getJsonObject("response");
    assertThat(completed.getString("status")).isEqualTo("completed");
    assertThat(completed.getJsonArray("output")).hasSize(2);
    assertThat(completed.getJsonObject("usage").getInteger("output_tokens")).isEqualTo(6);
    assertThat(completed.getString("id")).isEqualTo(events.get(0).getJsonObject("response").getString("id"));
    assertThat(stream.finish(tally)).as("closed once").isNull();
  }

  private static void assertRefused(String body, String field, String problem) {
    assertThatThrownBy(() -> ResponsesRequests.toChat(new JsonObject(body))).as(body)
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.getMessage()).contains("'" + field + "'").contains(problem);
        });
  }
}
