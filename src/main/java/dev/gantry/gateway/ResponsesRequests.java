package dev.gantry.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Turns an OpenAI Responses request ({@code POST /v1/responses}) into the chat request the engines take:
 * {@code instructions} becomes the first (system) message, {@code input} (a string, or message items
 * with {@code input_text}/{@code input_image} parts, {@code function_call} and
 * {@code function_call_output} items) becomes the messages, {@code max_output_tokens} becomes
 * {@code max_tokens}, {@code temperature}/{@code top_p}/{@code parallel_tool_calls} pass, function
 * {@code tools} and {@code tool_choice} become chat's, {@code text.format} becomes {@code response_format}.
 * Gantry keeps no responses, so the stateful fields ({@code previous_response_id}, {@code conversation},
 * {@code store: true}, {@code background: true}) are refused; a failure is a 400 that names the field.
 */
final class ResponsesRequests {

  /** The OpenAI chat body for a valid Responses body; {@code body} itself is left unchanged. */
  static JsonObject toChat(JsonObject body) {
    Object model = body.getValue("model");
    if (!(model instanceof String name) || name.isBlank() || name.length() > OpenAiRequests.MAX_MODEL_NAME) {
      throw OpenAiRequests.invalid("model", "is required: a string naming a model (GET /v1/models lists them)");
    }
    stateless(body);
    JsonObject chat = new JsonObject().put("model", name);
    JsonArray messages = new JsonArray();
    Object instructions = body.getValue("instructions");
    if (instructions != null && !(instructions instanceof String)) {
      throw OpenAiRequests.invalid("instructions", "must be a string");
    }
    if (instructions instanceof String text && !text.isEmpty()) {
      messages.add(new JsonObject().put("role", "system").put("content", text));
    }
    ResponsesInput.messages(body.getValue("input"), messages);
    chat.put("messages", messages);
    Object maxTokens = body.getValue("max_output_tokens");
    if (maxTokens != null) {
      if (!(maxTokens instanceof Integer || maxTokens instanceof Long) || ((Number) maxTokens).longValue() < 1) {
        throw OpenAiRequests.invalid("max_output_tokens", "must be a whole number of at least 1");
      }
      chat.put("max_tokens", ((Number) maxTokens).longValue());
    }
    number(body, "temperature", chat);
    number(body, "top_p", chat);
    Object parallel = body.getValue("parallel_tool_calls");
    if (parallel != null && !(parallel instanceof Boolean)) {
      throw OpenAiRequests.invalid("parallel_tool_calls", "must be true or false");
    }
    Object stream = body.getValue("stream");
    if (stream != null && !(stream instanceof Boolean)) {
      throw OpenAiRequests.invalid("stream", "must be true or false");
    }
    if (Boolean.TRUE.equals(stream)) {
      chat.put("stream", true);
    }
    tools(body, chat);
    format(body.getValue("text"), chat);
    return chat;
  }

  private static void stateless(JsonObject body) {
    for (String field : new String[] {"previous_response_id", "conversation"}) {
      if (body.getValue(field) != null) {
        throw OpenAiRequests.invalid(field, "is not supported: Gantry keeps no responses or conversations; send the"
            + " whole conversation in 'input' instead");
      }
    }
    for (String field : new String[] {"store", "background"}) {
      Object value = body.getValue(field);
      if (value != null && !(value instanceof Boolean)) {
        throw OpenAiRequests.invalid(field, "must be true or false");
      }
      if (Boolean.TRUE.equals(value)) {
        throw OpenAiRequests.invalid(field, "is not supported: Gantry keeps no responses and runs none in the"
            + " background; leave '" + field + "' out or send false");
      }
    }
  }

  private static void tools(JsonObject body, JsonObject chat) {
    Object tools = body.getValue("tools");
    if (tools != null) {
      if (!(tools instanceof JsonArray list)) {
        throw OpenAiRequests.invalid("tools", "must be an array of {\"type\": \"function\", \"name\", \"parameters\"}");
      }
      JsonArray functions = new JsonArray();
      for (int i = 0; i < list.size(); i++) {
        String field = "tools[" + i + "]";
        if (!(list.getValue(i) instanceof JsonObject tool) || !"function".equals(tool.getValue("type"))) {
          throw OpenAiRequests.invalid(field + ".type", "must be \"function\": Gantry's models call only the functions"
              + " you define (built-in tools such as web_search are not supported)");
        }
        JsonObject function = new JsonObject().put("name", ResponsesInput.string(tool, "name", field));
        if (tool.getValue("description") instanceof String description) {
          function.put("description", description);
        }
        if (tool.getValue("parameters") instanceof JsonObject parameters) {
          function.put("parameters", parameters);
        }
        if (tool.getValue("strict") instanceof Boolean strict) {
          function.put("strict", strict);
        }
        functions.add(new JsonObject().put("type", "function").put("function", function));
      }
      if (!functions.isEmpty()) {
        chat.put("tools", functions);
      }
      if (body.getValue("parallel_tool_calls") instanceof Boolean parallel && !functions.isEmpty()) {
        chat.put("parallel_tool_calls", parallel);
      }
    }
    Object choice = body.getValue("tool_choice");
    if (choice == null) {
      return;
    }
    if (choice instanceof String mode && (mode.equals("auto") || mode.equals("none") || mode.equals("required"))) {
      chat.put("tool_choice", mode);
    } else if (choice instanceof JsonObject given && "function".equals(given.getValue("type"))) {
      chat.put("tool_choice", new JsonObject().put("type", "function")
          .put("function", new JsonObject().put("name", ResponsesInput.string(given, "name", "tool_choice"))));
    } else {
      throw OpenAiRequests.invalid("tool_choice", "must be \"auto\", \"none\", \"required\" or"
          + " {\"type\": \"function\", \"name\"}");
    }
  }

  /** {@code text.format}: plain text (nothing to send), JSON object or JSON schema, as chat's {@code response_format}. */
  private static void format(Object text, JsonObject chat) {
    if (text == null) {
      return;
    }
    if (!(text instanceof JsonObject config)) {
      throw OpenAiRequests.invalid("text", "must be an object such as {\"format\": {\"type\": \"text\"}}");
    }
    Object format = config.getValue("format");
    if (format == null) {
      return;
    }
    if (!(format instanceof JsonObject given)) {
      throw OpenAiRequests.invalid("text.format", "must be an object with a 'type'");
    }
    switch (String.valueOf(given.getValue("type"))) {
      case "text" -> { }
      case "json_object" -> chat.put("response_format", new JsonObject().put("type", "json_object"));
      case "json_schema" -> {
        JsonObject schema = new JsonObject().put("name", ResponsesInput.string(given, "name", "text.format"));
        if (!(given.getValue("schema") instanceof JsonObject value)) {
          throw OpenAiRequests.invalid("text.format.schema", "is required: a JSON Schema object");
        }
        schema.put("schema", value);
        if (given.getValue("strict") instanceof Boolean strict) {
          schema.put("strict", strict);
        }
        chat.put("response_format", new JsonObject().put("type", "json_schema").put("json_schema", schema));
      }
      default -> throw OpenAiRequests.invalid("text.format.type", "must be \"text\", \"json_object\" or \"json_schema\"");
    }
  }

  private static void number(JsonObject body, String field, JsonObject chat) {
    Object value = body.getValue(field);
    if (value == null) {
      return;
    }
    if (!(value instanceof Number)) {
      throw OpenAiRequests.invalid(field, "must be a number");
    }
    chat.put(field, value);
  }

  private ResponsesRequests() {
  }
}
