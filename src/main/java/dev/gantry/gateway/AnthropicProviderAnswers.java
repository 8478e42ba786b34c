package dev.gantry.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An Anthropic provider's whole Messages answer as an OpenAI chat completion (the other way round from
 * {@link AnthropicAnswers}): text blocks joined into the message's {@code content}, {@code tool_use} blocks
 * as {@code tool_calls} (input encoded as the arguments string), {@code stop_reason} as
 * {@code finish_reason} and {@code usage} in OpenAI's names; an Anthropic error body as OpenAI's
 * {@code {"error": {message, type, param, code}}}.
 */
final class AnthropicProviderAnswers {

  private AnthropicProviderAnswers() {
  }

  /** The chat completion for a provider's 2xx message; {@code model} is the name the client called. */
  static Buffer completion(String model, Buffer body) {
    JsonObject message = parse(body);
    StringBuilder text = new StringBuilder();
    JsonArray calls = new JsonArray();
    for (Object item : message.getValue("content") instanceof JsonArray content ? content : new JsonArray()) {
      if (!(item instanceof JsonObject block)) {
        continue;
      }
      if ("text".equals(block.getValue("type")) && block.getValue("text") instanceof String part) {
        text.append(part);
      } else if ("tool_use".equals(block.getValue("type"))) {
        calls.add(new JsonObject().put("id", String.valueOf(block.getValue("id"))).put("type", "function")
            .put("function", new JsonObject().put("name", String.valueOf(block.getValue("name")))
                .put("arguments", block.getValue("input") instanceof JsonObject input ? input.encode() : "{}")));
      }
    }
    JsonObject said = new JsonObject().put("role", "assistant").put("content", text.isEmpty() && !calls.isEmpty()
        ? null : text.toString());
    if (!calls.isEmpty()) {
      said.put("tool_calls", calls);
    }
    JsonObject usage = message.getValue("usage") instanceof JsonObject u ? u : new JsonObject();
    return head(id(message.getValue("id")), "chat.completion", model)
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", said)
            .put("finish_reason", finishReason(message.getValue("stop_reason")))))
        .put("usage", usage(inputTokens(usage), count(usage.getValue("output_tokens"))))
        .toBuffer();
  }

  /** A provider's error answer (Anthropic's shape, or anything else) as OpenAI's error body. */
  static Buffer error(int status, Buffer body) {
    JsonObject parsed = parse(body);
    JsonObject error = parsed.getValue("error") instanceof JsonObject e ? e : new JsonObject();
    String message = error.getValue("message") instanceof String m ? m : "the provider answered HTTP " + status;
    String type = error.getValue("type") instanceof String t ? t : status >= 500 ? "server_error" : "invalid_request_error";
    return errorBody(message, type).toBuffer();
  }

  static JsonObject errorBody(String message, String type) {
    return new JsonObject().put("error", new JsonObject().put("message", message).put("type", type).putNull("param")
        .putNull("code"));
  }

  /** An object's common fields: {@code id}, {@code object}, {@code created}, {@code model}. */
  static JsonObject head(String id, String object, String model) {
    return new JsonObject().put("id", id).put("object", object).put("created", System.currentTimeMillis() / 1000)
        .put("model", model);
  }

  static JsonObject usage(long prompt, long completion) {
    return new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", completion)
        .put("total_tokens", prompt + completion);
  }

  /** Input tokens as billed: the uncached ones plus those written to and read from the prompt cache. */
  static long inputTokens(JsonObject usage) {
    return count(usage.getValue("input_tokens")) + count(usage.getValue("cache_creation_input_tokens"))
        + count(usage.getValue("cache_read_input_tokens"));
  }

  static long count(Object value) {
    return value instanceof Number n ? Math.max(0, n.longValue()) : 0;
  }

  /** Anthropic's stop reason in OpenAI's words. */
  static String finishReason(Object stopReason) {
    return switch (String.valueOf(stopReason)) {
      case "max_tokens" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      default -> "stop";
    };
  }

  /** A completion id: the message's with OpenAI's {@code chatcmpl-} prefix. */
  static String id(Object messageId) {
    return "chatcmpl-" + (messageId instanceof String s && !s.isBlank() ? s : UsageMeter.newId());
  }

  static JsonObject parse(Buffer body) {
    try {
      return body != null && body.length() > 0 && body.toJsonValue() instanceof JsonObject object ? object : new JsonObject();
    } catch (DecodeException e) {
      return new JsonObject();
    }
  }
}
