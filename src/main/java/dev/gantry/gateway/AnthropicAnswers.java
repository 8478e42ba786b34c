package dev.gantry.gateway;

import dev.gantry.api.AnthropicErrors;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * An engine's whole OpenAI chat answer as an Anthropic {@code message}: the text and tool calls as
 * content blocks, {@code finish_reason} as {@code stop_reason}, the token counts as {@code usage}; and
 * an engine's error as Anthropic's {@code {"type":"error","error":{"type","message"}}}.
 */
final class AnthropicAnswers {

  /** The Anthropic message for an engine's 2xx chat completion. */
  static JsonObject message(String model, Buffer body) {
    JsonObject chat = parse(body);
    JsonObject choice = chat.getValue("choices") instanceof JsonArray choices && !choices.isEmpty()
        && choices.getValue(0) instanceof JsonObject first ? first : new JsonObject();
    JsonObject said = choice.getValue("message") instanceof JsonObject m ? m : new JsonObject();
    JsonArray content = new JsonArray();
    if (said.getValue("content") instanceof String text && !text.isEmpty()) {
      content.add(new JsonObject().put("type", "text").put("text", text));
    }
    if (said.getValue("tool_calls") instanceof JsonArray calls) {
      for (Object call : calls) {
        if (call instanceof JsonObject toolCall) {
          content.add(toolUse(toolCall));
        }
      }
    }
    Usage usage = Usage.find(body);
    return start(messageId(chat.getValue("id")), model)
        .put("content", content)
        .put("stop_reason", stopReason(choice.getValue("finish_reason")))
        .put("usage", usage(usage == null ? Usage.NONE : usage));
  }

  /** The head of a message: everything but its content, stop reason and usage. */
  static JsonObject start(String id, String model) {
    return new JsonObject().put("id", id).put("type", "message").put("role", "assistant").put("model", model)
        .put("content", new JsonArray()).putNull("stop_reason").putNull("stop_sequence");
  }

  /** A message's usage; Gantry caches no prompts, so its cache counts are 0. */
  static JsonObject usage(Usage usage) {
    return delta(usage).put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 0);
  }

  /** The usage of a stream's {@code message_delta}. */
  static JsonObject delta(Usage usage) {
    return new JsonObject().put("input_tokens", usage.promptTokens()).put("output_tokens", usage.completionTokens());
  }

  /** OpenAI's finish reason in Anthropic's words; an unknown or missing one is {@code end_turn}. */
  static String stopReason(Object finishReason) {
    return switch (String.valueOf(finishReason)) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      default -> "end_turn";
    };
  }

  /** A message id: the engine's with Anthropic's {@code msg_} prefix, or a fresh one. */
  static String messageId(Object engineId) {
    String id = engineId instanceof String s && !s.isBlank() ? s : UUID.randomUUID().toString().replace("-", "");
    return id.startsWith("msg_") ? id : "msg_" + id;
  }

  /** An engine's error answer (OpenAI's shape, or anything else) as Anthropic's error body. */
  static JsonObject error(int status, Buffer body) {
    JsonObject parsed = parse(body);
    String message = parsed.getValue("error") instanceof JsonObject error && error.getValue("message") instanceof String m
        ? m : parsed.getValue("message") instanceof String m2 ? m2
        : "the engine answered HTTP " + status;
    return error(errorType(status), message);
  }

  static JsonObject error(String type, String message) {
    return AnthropicErrors.body(type, message);
  }

  static String errorType(int status) {
    return AnthropicErrors.type(status);
  }

  private static JsonObject toolUse(JsonObject call) {
    JsonObject function = call.getValue("function") instanceof JsonObject f ? f : new JsonObject();
    return new JsonObject().put("type", "tool_use")
        .put("id", call.getValue("id") instanceof String id ? id : "toolu_" + UUID.randomUUID().toString().replace("-", ""))
        .put("name", String.valueOf(function.getValue("name")))
        .put("input", arguments(function.getValue("arguments")));
  }

  /** A tool call's arguments (a JSON string in OpenAI's shape) as an object; unparseable ones are kept as {"arguments"}. */
  static JsonObject arguments(Object arguments) {
    if (arguments instanceof JsonObject object) {
      return object;
    }
    if (!(arguments instanceof String text) || text.isBlank()) {
      return new JsonObject();
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      return new JsonObject().put("arguments", text);
    }
  }

  private static JsonObject parse(Buffer body) {
    try {
      return body != null && body.length() > 0 && body.toJsonValue() instanceof JsonObject object ? object : new JsonObject();
    } catch (DecodeException e) {
      return new JsonObject();
    }
  }

  private AnthropicAnswers() {
  }
}
