package dev.gantry.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** An Anthropic request's {@code tools} and {@code tool_choice} as OpenAI chat functions; a failure is a 400 naming the field. */
final class AnthropicTools {

  static void convert(JsonObject body, JsonObject chat) {
    Object tools = body.getValue("tools");
    if (tools == null) {
      return;
    }
    if (!(tools instanceof JsonArray list)) {
      throw AnthropicRequests.invalid("tools", "must be an array of {\"name\", \"description\", \"input_schema\"}");
    }
    JsonArray functions = new JsonArray();
    for (int i = 0; i < list.size(); i++) {
      String field = "tools[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject tool)) {
        throw AnthropicRequests.invalid(field, "must be an object {\"name\", \"description\", \"input_schema\"}");
      }
      JsonObject function = new JsonObject().put("name", AnthropicRequests.string(tool, "name", field));
      if (tool.getValue("description") instanceof String description) {
        function.put("description", description);
      }
      if (!(tool.getValue("input_schema") instanceof JsonObject schema)) {
        throw AnthropicRequests.invalid(field + ".input_schema", "is required: a JSON Schema object of the tool's input");
      }
      functions.add(new JsonObject().put("type", "function").put("function", function.put("parameters", schema)));
    }
    if (!functions.isEmpty()) {
      chat.put("tools", functions);
    }
    Object choice = body.getValue("tool_choice");
    if (choice == null) {
      return;
    }
    if (!(choice instanceof JsonObject given)) {
      throw AnthropicRequests.invalid("tool_choice", "must be an object such as {\"type\": \"auto\"}");
    }
    switch (String.valueOf(given.getValue("type"))) {
      case "auto" -> chat.put("tool_choice", "auto");
      case "any" -> chat.put("tool_choice", "required");
      case "none" -> chat.put("tool_choice", "none");
      case "tool" -> chat.put("tool_choice", new JsonObject().put("type", "function")
          .put("function", new JsonObject().put("name", AnthropicRequests.string(given, "name", "tool_choice"))));
      default -> throw AnthropicRequests.invalid("tool_choice.type", "must be \"auto\", \"any\", \"tool\" or \"none\"");
    }
  }

  private AnthropicTools() {
  }
}
