package dev.gantry.gateway;

import dev.gantry.common.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Turns an Anthropic Messages request ({@code POST /v1/messages}) into the OpenAI chat request the
 * engines take: {@code system} becomes the first message, text blocks are joined into a message's
 * content (or, when it has {@code image} blocks, kept in order as text and {@code image_url} parts), {@code tool_use} and {@code tool_result} blocks become {@code tool_calls} and {@code tool}
 * messages, {@code stop_sequences} becomes {@code stop}, and {@code tools} become functions. Fields it
 * does not know are ignored, as Anthropic's own optional fields would be by an engine. A failure is a
 * 400 that names the field.
 */
final class AnthropicRequests {

  /** The OpenAI chat body for a valid Messages body; {@code body} itself is left unchanged. */
  static JsonObject toChat(JsonObject body) {
    Object model = body.getValue("model");
    if (!(model instanceof String name) || name.isBlank() || name.length() > OpenAiRequests.MAX_MODEL_NAME) {
      throw invalid("model", "is required: a string naming a model (GET /v1/models lists them)");
    }
    JsonObject chat = new JsonObject().put("model", name);
    Object maxTokens = body.getValue("max_tokens");
    if (maxTokens == null) {
      throw invalid("max_tokens", "is required: the most tokens to generate, a whole number of at least 1");
    }
    if (!(maxTokens instanceof Integer || maxTokens instanceof Long) || ((Number) maxTokens).longValue() < 1) {
      throw invalid("max_tokens", "must be a whole number of at least 1");
    }
    chat.put("max_tokens", ((Number) maxTokens).longValue());
    JsonArray messages = new JsonArray();
    String system = system(body.getValue("system"));
    if (system != null) {
      messages.add(new JsonObject().put("role", "system").put("content", system));
    }
    Object given = body.getValue("messages");
    if (!(given instanceof JsonArray array) || array.isEmpty()) {
      throw invalid("messages", "is required: a non-empty array of {\"role\": \"user\" or \"assistant\", \"content\"}");
    }
    for (int i = 0; i < array.size(); i++) {
      message(array.getValue(i), "messages[" + i + "]", messages);
    }
    chat.put("messages", messages);
    number(body, "temperature", chat, "temperature");
    number(body, "top_p", chat, "top_p");
    Object topK = body.getValue("top_k");
    if (topK != null && !(topK instanceof Integer || topK instanceof Long)) {
      throw invalid("top_k", "must be a whole number");
    }
    if (topK != null) {
      chat.put("top_k", topK);
    }
    Object stops = body.getValue("stop_sequences");
    if (stops != null) {
      if (!(stops instanceof JsonArray list) || !list.stream().allMatch(s -> s instanceof String)) {
        throw invalid("stop_sequences", "must be an array of strings");
      }
      if (!list.isEmpty()) {
        chat.put("stop", list.copy());
      }
    }
    Object stream = body.getValue("stream");
    if (stream != null && !(stream instanceof Boolean)) {
      throw invalid("stream", "must be true or false");
    }
    if (Boolean.TRUE.equals(stream)) {
      chat.put("stream", true);
    }
    AnthropicTools.convert(body, chat);
    return chat;
  }

  private static String system(Object system) {
    if (system == null || system instanceof String) {
      return (String) system;
    }
    if (!(system instanceof JsonArray blocks)) {
      throw invalid("system", "must be a string or an array of {\"type\": \"text\", \"text\"} blocks");
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < blocks.size(); i++) {
      text.append(text(blocks.getValue(i), "system[" + i + "]"));
    }
    return text.toString();
  }

  private static void message(Object value, String field, JsonArray out) {
    if (!(value instanceof JsonObject message)) {
      throw invalid(field, "must be an object {\"role\", \"content\"}");
    }
    Object role = message.getValue("role");
    if (!"user".equals(role) && !"assistant".equals(role)) {
      throw invalid(field + ".role", "must be \"user\" or \"assistant\" (the system prompt goes in the top-level 'system')");
    }
    Object content = message.getValue("content");
    if (content instanceof String text) {
      out.add(new JsonObject().put("role", role).put("content", text));
      return;
    }
    if (!(content instanceof JsonArray blocks)) {
      throw invalid(field + ".content", "is required: a string or an array of content blocks");
    }
    StringBuilder text = new StringBuilder();
    JsonArray parts = new JsonArray();
    JsonArray toolCalls = new JsonArray();
    JsonArray toolResults = new JsonArray();
    for (int i = 0; i < blocks.size(); i++) {
      String at = field + ".content[" + i + "]";
      if (!(blocks.getValue(i) instanceof JsonObject block)) {
        throw invalid(at, "must be a content block object with a 'type'");
      }
      String type = String.valueOf(block.getValue("type"));
      switch (type) {
        case "text" -> {
          String said = text(block, at);
          text.append(said);
          parts.add(new JsonObject().put("type", "text").put("text", said));
        }
        case "image" -> parts.add(image(block, at, role));
        case "document" -> throw invalid(at + ".type", "'document' blocks are not supported: send the document's"
            + " content as text blocks");
        case "tool_use" -> toolCalls.add(toolCall(block, at, role));
        case "tool_result" -> toolResults.add(toolResult(block, at, role));
        default -> throw invalid(at + ".type", "must be \"text\", \"image\", \"tool_use\" or \"tool_result\", not " + type);
      }
    }
    out.addAll(toolResults);
    boolean images = parts.stream().anyMatch(p -> "image_url".equals(((JsonObject) p).getValue("type")));
    if (text.length() > 0 || images || !toolCalls.isEmpty() || toolResults.isEmpty()) {
      JsonObject converted = new JsonObject().put("role", role).put("content", images ? parts : text.toString());
      if (!toolCalls.isEmpty()) {
        converted.put("tool_calls", toolCalls);
      }
      out.add(converted);
    }
  }

  /** An image block of a user message as an OpenAI {@code image_url} part ({@link AnthropicImages}). */
  private static JsonObject image(JsonObject block, String field, Object role) {
    if (!"user".equals(role)) {
      throw invalid(field + ".type", "'image' blocks belong in user messages");
    }
    return AnthropicImages.part(block, field);
  }

  private static String text(Object value, String field) {
    if (!(value instanceof JsonObject block) || !"text".equals(block.getValue("type"))) {
      throw invalid(field, "must be a {\"type\": \"text\", \"text\"} block");
    }
    if (!(block.getValue("text") instanceof String text)) {
      throw invalid(field + ".text", "is required: a string");
    }
    return text;
  }

  private static JsonObject toolCall(JsonObject block, String field, Object role) {
    if (!"assistant".equals(role)) {
      throw invalid(field + ".type", "'tool_use' blocks belong in assistant messages");
    }
    String id = string(block, "id", field);
    String name = string(block, "name", field);
    Object input = block.getValue("input");
    if (!(input instanceof JsonObject arguments)) {
      throw invalid(field + ".input", "is required: an object of the tool's arguments");
    }
    return new JsonObject().put("id", id).put("type", "function")
        .put("function", new JsonObject().put("name", name).put("arguments", arguments.encode()));
  }

  private static JsonObject toolResult(JsonObject block, String field, Object role) {
    if (!"user".equals(role)) {
      throw invalid(field + ".type", "'tool_result' blocks belong in user messages");
    }
    String id = string(block, "tool_use_id", field);
    Object content = block.getValue("content");
    String text;
    if (content == null || content instanceof String) {
      text = content == null ? "" : (String) content;
    } else if (content instanceof JsonArray parts) {
      StringBuilder joined = new StringBuilder();
      for (int i = 0; i < parts.size(); i++) {
        joined.append(text(parts.getValue(i), field + ".content[" + i + "]"));
      }
      text = joined.toString();
    } else {
      throw invalid(field + ".content", "must be a string or an array of text blocks");
    }
    return new JsonObject().put("role", "tool").put("tool_call_id", id).put("content", text);
  }

  private static void number(JsonObject body, String field, JsonObject chat, String target) {
    Object value = body.getValue(field);
    if (value == null) {
      return;
    }
    if (!(value instanceof Number)) {
      throw invalid(field, "must be a number");
    }
    chat.put(target, value);
  }

  static String string(JsonObject object, String name, String field) {
    if (!(object.getValue(name) instanceof String value) || value.isEmpty()) {
      throw invalid(field + "." + name, "is required: a non-empty string");
    }
    return value;
  }

  static ApiException invalid(String field, String problem) {
    return new ApiException(400, problem.startsWith("is required") ? "missing_required_parameter" : "invalid_value",
        "invalid request: field '" + field + "' " + problem, field);
  }

  private AnthropicRequests() {
  }
}
