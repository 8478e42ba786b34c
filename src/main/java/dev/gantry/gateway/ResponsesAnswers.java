package dev.gantry.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * An engine's OpenAI chat answer as a Responses {@code response} object: {@code resp_} id, the text as a
 * {@code message} item of {@code output_text}, each tool call as a {@code function_call} item, the status
 * from {@code finish_reason} ({@code length} makes it {@code incomplete} for {@code max_output_tokens}),
 * the usage as {@code input_tokens}/{@code output_tokens}/{@code total_tokens}, and the request's own
 * settings echoed as OpenAI echoes them. An engine's error answer passes in OpenAI's error shape.
 */
final class ResponsesAnswers {

  /** The dialect of one Responses request: whole answers and streams turned back with its settings echoed. */
  static ChatDialect dialect(JsonObject request) {
    return new ChatDialect((model, status, body) -> status < 300 ? response(request, model, body).toBuffer() : error(status, body),
        model -> new ResponsesStream(request, model));
  }

  static JsonObject response(JsonObject request, String model, Buffer body) {
    JsonObject chat = parse(body);
    JsonObject choice = chat.getValue("choices") instanceof JsonArray choices && !choices.isEmpty()
        && choices.getValue(0) instanceof JsonObject first ? first : new JsonObject();
    JsonObject said = choice.getValue("message") instanceof JsonObject m ? m : new JsonObject();
    JsonArray output = new JsonArray();
    if (said.getValue("content") instanceof String text && !text.isEmpty()) {
      output.add(message(id("msg_"), text, "completed"));
    }
    if (said.getValue("tool_calls") instanceof JsonArray calls) {
      for (Object value : calls) {
        if (value instanceof JsonObject call && call.getValue("function") instanceof JsonObject function) {
          output.add(functionCall(id("fc_"), call.getValue("id") instanceof String callId ? callId : id("call_"),
              String.valueOf(function.getValue("name")),
              function.getValue("arguments") instanceof String arguments ? arguments : "{}", "completed"));
        }
      }
    }
    Usage usage = Usage.find(body);
    return finished(head(request, id("resp_"), model), choice.getValue("finish_reason"), output,
        usage == null ? Usage.NONE : usage);
  }

  /** A response's fields before any output: status {@code in_progress}, the request's settings echoed. */
  static JsonObject head(JsonObject request, String id, String model) {
    JsonArray tools = new JsonArray();
    if (request.getValue("tools") instanceof JsonArray given) {
      for (Object tool : given) {
        if (tool instanceof JsonObject t) {
          JsonObject echoed = t.copy();
          for (String field : new String[] {"description", "parameters", "strict"}) {
            if (!echoed.containsKey(field)) {
              echoed.putNull(field);
            }
          }
          tools.add(echoed);
        }
      }
    }
    return new JsonObject().put("id", id).put("object", "response").put("created_at", System.currentTimeMillis() / 1000)
        .put("status", "in_progress").putNull("error").putNull("incomplete_details")
        .put("instructions", request.getValue("instructions"))
        .put("max_output_tokens", request.getValue("max_output_tokens")).put("model", model)
        .put("output", new JsonArray())
        .put("parallel_tool_calls", request.getValue("parallel_tool_calls") instanceof Boolean b ? b : true)
        .putNull("previous_response_id")
        .put("reasoning", new JsonObject().putNull("effort").putNull("summary"))
        .put("store", false)
        .put("temperature", request.getValue("temperature") instanceof Number n ? n : 1.0)
        .put("text", request.getValue("text") instanceof JsonObject text && text.containsKey("format") ? text.copy()
            : new JsonObject().put("format", new JsonObject().put("type", "text")))
        .put("tool_choice", request.getValue("tool_choice") != null ? request.getValue("tool_choice") : "auto")
        .put("tools", tools)
        .put("top_p", request.getValue("top_p") instanceof Number n ? n : 1.0)
        .put("truncation", "disabled").putNull("usage").putNull("user")
        .put("metadata", request.getValue("metadata") instanceof JsonObject m ? m.copy() : new JsonObject());
  }

  /** The head completed: its status (from the engine's finish reason), output and usage. */
  static JsonObject finished(JsonObject head, Object finishReason, JsonArray output, Usage usage) {
    String incomplete = switch (String.valueOf(finishReason)) {
      case "length" -> "max_output_tokens";
      case "content_filter" -> "content_filter";
      default -> null;
    };
    head.put("status", incomplete == null ? "completed" : "incomplete").put("output", output).put("usage", usage(usage));
    return incomplete == null ? head : head.put("incomplete_details", new JsonObject().put("reason", incomplete));
  }

  static JsonObject usage(Usage usage) {
    return new JsonObject().put("input_tokens", usage.promptTokens())
        .put("input_tokens_details", new JsonObject().put("cached_tokens", 0))
        .put("output_tokens", usage.completionTokens())
        .put("output_tokens_details", new JsonObject().put("reasoning_tokens", 0))
        .put("total_tokens", usage.promptTokens() + usage.completionTokens());
  }

  static JsonObject message(String id, String text, String status) {
    JsonArray content = new JsonArray();
    if (text != null) {
      content.add(outputText(text));
    }
    return new JsonObject().put("id", id).put("type", "message").put("status", status).put("role", "assistant")
        .put("content", content);
  }

  static JsonObject outputText(String text) {
    return new JsonObject().put("type", "output_text").put("text", text).put("annotations", new JsonArray())
        .put("logprobs", new JsonArray());
  }

  static JsonObject functionCall(String id, String callId, String name, String arguments, String status) {
    return new JsonObject().put("id", id).put("type", "function_call").put("status", status).put("call_id", callId)
        .put("name", name).put("arguments", arguments);
  }

  /** A fresh id with OpenAI's prefix for its kind ({@code resp_}, {@code msg_}, {@code fc_}, {@code call_}). */
  static String id(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "");
  }

  /** An engine's error answer in OpenAI's shape: its own when it has one, else one that says the status. */
  private static Buffer error(int status, Buffer body) {
    JsonObject parsed = parse(body);
    if (parsed.getValue("error") instanceof JsonObject) {
      return parsed.toBuffer();
    }
    String message = parsed.getValue("message") instanceof String m ? m : "the engine answered HTTP " + status;
    return new JsonObject().put("error", new JsonObject().put("message", message)
        .put("type", status < 500 ? "invalid_request_error" : "server_error").putNull("param").putNull("code")).toBuffer();
  }

  private static JsonObject parse(Buffer body) {
    try {
      return body != null && body.length() > 0 && body.toJsonValue() instanceof JsonObject object ? object : new JsonObject();
    } catch (DecodeException e) {
      return new JsonObject();
    }
  }

  private ResponsesAnswers() {
  }
}
