package dev.gantry.engine.builtin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Checks OpenAI chat messages and reduces them to what a chat template takes: {@code role} and a
 * string {@code content} (text parts joined by newlines; a null assistant content becomes empty). llama.cpp
 * aborts the process on a malformed message, so nothing unchecked may reach it.
 */
final class ChatMessages {

  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

  private ChatMessages() {}

  static JsonArray normalize(JsonArray messages) {
    JsonArray normalized = new JsonArray();
    for (int i = 0; i < messages.size(); i++) {
      String field = "messages[" + i + "]";
      if (!(messages.getValue(i) instanceof JsonObject message)) {
        throw OpenAiError.badField(field, "must be an object with role and content");
      }
      if (!(message.getValue("role") instanceof String role) || !ROLES.contains(role)) {
        throw OpenAiError.badField(field + ".role", "must be one of " + ROLES);
      }
      String content = content(message.getValue("content"), field + ".content", role);
      normalized.add(new JsonObject().put("role", role.equals("developer") ? "system" : role).put("content", content));
    }
    return normalized;
  }

  private static String content(Object value, String field, String role) {
    if (value instanceof String text) {
      return text;
    }
    if (value == null && role.equals("assistant")) {
      return "";
    }
    if (!(value instanceof JsonArray parts)) {
      throw OpenAiError.badField(field, "must be a string or an array of text parts");
    }
    StringBuilder text = new StringBuilder();
    for (Object item : parts) {
      if (!(item instanceof JsonObject part) || !"text".equals(part.getValue("type"))
          || !(part.getValue("text") instanceof String partText)) {
        throw OpenAiError.badField(field, "parts must be {\"type\":\"text\",\"text\":\"...\"}; this model reads text only");
      }
      if (text.length() > 0) {
        text.append('\n');
      }
      text.append(partText);
    }
    return text.toString();
  }
}
