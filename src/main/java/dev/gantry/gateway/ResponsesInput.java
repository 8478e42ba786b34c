package dev.gantry.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A Responses request's {@code input} as chat messages: a string is one user message; message items keep
 * their role ({@code developer} becomes {@code system}) and their text parts ({@code input_text},
 * {@code output_text}) and images ({@code input_image} with an {@code image_url}, as chat's
 * {@code image_url} parts); {@code function_call} items become an assistant message's {@code tool_calls}
 * and {@code function_call_output} items {@code tool} messages. Reasoning items are dropped (chat has no
 * place for them); files, stored items and other item types are a 400 naming the item.
 */
final class ResponsesInput {

  static void messages(Object input, JsonArray out) {
    if (input instanceof String text) {
      if (text.isEmpty()) {
        throw OpenAiRequests.invalid("input", "must not be empty");
      }
      out.add(new JsonObject().put("role", "user").put("content", text));
      return;
    }
    if (!(input instanceof JsonArray items) || items.isEmpty()) {
      throw OpenAiRequests.invalid("input", input == null ? "is required: a string or a non-empty array of input items"
          : "must be a string or a non-empty array of input items");
    }
    for (int i = 0; i < items.size(); i++) {
      String field = "input[" + i + "]";
      if (!(items.getValue(i) instanceof JsonObject item)) {
        throw OpenAiRequests.invalid(field, "must be an object such as {\"role\": \"user\", \"content\": \"...\"}");
      }
      Object type = item.getValue("type");
      switch (type == null && item.containsKey("role") ? "message" : String.valueOf(type)) {
        case "message" -> out.add(message(item, field));
        case "function_call" -> functionCall(item, field, out);
        case "function_call_output" -> out.add(new JsonObject().put("role", "tool")
            .put("tool_call_id", string(item, "call_id", field)).put("content", output(item.getValue("output"), field)));
        case "reasoning" -> { }
        case "item_reference" -> throw OpenAiRequests.invalid(field + ".type", "'item_reference' is not supported:"
            + " Gantry keeps no items; send the item itself");
        default -> throw OpenAiRequests.invalid(field + ".type", "must be \"message\", \"function_call\" or"
            + " \"function_call_output\", not " + type);
      }
    }
  }

  private static JsonObject message(JsonObject item, String field) {
    Object role = item.getValue("role");
    if (!"user".equals(role) && !"assistant".equals(role) && !"system".equals(role) && !"developer".equals(role)) {
      throw OpenAiRequests.invalid(field + ".role", "must be \"user\", \"assistant\", \"system\" or \"developer\"");
    }
    JsonObject message = new JsonObject().put("role", "developer".equals(role) ? "system" : role);
    Object content = item.getValue("content");
    if (content instanceof String text) {
      return message.put("content", text);
    }
    if (!(content instanceof JsonArray parts)) {
      throw OpenAiRequests.invalid(field + ".content", "is required: a string or an array of content parts");
    }
    StringBuilder text = new StringBuilder();
    JsonArray converted = new JsonArray();
    boolean images = false;
    for (int i = 0; i < parts.size(); i++) {
      String at = field + ".content[" + i + "]";
      if (!(parts.getValue(i) instanceof JsonObject part)) {
        throw OpenAiRequests.invalid(at, "must be a content part object with a 'type'");
      }
      String type = String.valueOf(part.getValue("type"));
      switch (type) {
        case "input_text", "output_text", "text" -> {
          String value = string(part, "text", at);
          text.append(value);
          converted.add(new JsonObject().put("type", "text").put("text", value));
        }
        case "input_image" -> {
          if (!"user".equals(role)) {
            throw OpenAiRequests.invalid(at + ".type", "'input_image' parts belong in user messages");
          }
          images = true;
          converted.add(image(part, at));
        }
        case "refusal" -> text.append(part.getValue("refusal") instanceof String r ? r : "");
        default -> throw OpenAiRequests.invalid(at + ".type", "must be \"input_text\" or \"input_image\""
            + ("input_file".equals(type) ? " ('input_file' is not supported: send the file's text as input_text)" : ", not " + type));
      }
    }
    return message.put("content", images ? converted : text.toString());
  }

  private static JsonObject image(JsonObject part, String field) {
    if (part.getValue("file_id") != null) {
      throw OpenAiRequests.invalid(field + ".file_id", "is not supported: Gantry keeps no files; send the image as"
          + " 'image_url' (a data: URL with base64, or an https URL)");
    }
    JsonObject url = new JsonObject().put("url", string(part, "image_url", field));
    if (part.getValue("detail") instanceof String detail) {
      url.put("detail", detail);
    }
    return new JsonObject().put("type", "image_url").put("image_url", url);
  }

  /** Consecutive function calls become one assistant message with several tool calls, as chat has them. */
  private static void functionCall(JsonObject item, String field, JsonArray out) {
    Object arguments = item.getValue("arguments");
    if (!(arguments instanceof String)) {
      throw OpenAiRequests.invalid(field + ".arguments", "is required: the call's arguments as a JSON string");
    }
    JsonObject call = new JsonObject().put("id", string(item, "call_id", field)).put("type", "function")
        .put("function", new JsonObject().put("name", string(item, "name", field)).put("arguments", arguments));
    JsonObject last = out.isEmpty() ? null : out.getJsonObject(out.size() - 1);
    if (last != null && "assistant".equals(last.getValue("role")) && last.getValue("tool_calls") instanceof JsonArray calls) {
      calls.add(call);
      return;
    }
    out.add(new JsonObject().put("role", "assistant").put("content", "").put("tool_calls", new JsonArray().add(call)));
  }

  private static String output(Object output, String field) {
    if (output instanceof String text) {
      return text;
    }
    if (!(output instanceof JsonArray parts)) {
      throw OpenAiRequests.invalid(field + ".output", "is required: the function's result as a string");
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      if (!(parts.getValue(i) instanceof JsonObject part) || !"input_text".equals(part.getValue("type"))) {
        throw OpenAiRequests.invalid(field + ".output[" + i + "]", "must be an {\"type\": \"input_text\", \"text\"} part");
      }
      text.append(string(part, "text", field + ".output[" + i + "]"));
    }
    return text.toString();
  }

  static String string(JsonObject object, String name, String field) {
    if (!(object.getValue(name) instanceof String value) || value.isEmpty()) {
      throw OpenAiRequests.invalid(field + "." + name, "is required: a non-empty string");
    }
    return value;
  }

  private ResponsesInput() {
  }
}
