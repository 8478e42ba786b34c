package dev.gantry.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An OpenAI chat request as an Anthropic Messages request, for an Anthropic provider's model (the other
 * way round from {@link AnthropicRequests}): {@code system}/{@code developer} messages become
 * {@code system}; user and assistant messages keep their text, {@code image_url} parts become
 * {@code image} blocks (a {@code data:} URL a {@code base64} source, any other URL a {@code url} source),
 * assistant {@code tool_calls} become {@code tool_use} blocks and {@code tool} messages {@code tool_result}
 * blocks of a user turn; {@code tools} and {@code tool_choice} are renamed; {@code max_tokens} (which
 * Anthropic requires) is {@code max_completion_tokens}, {@code max_tokens} or {@link #DEFAULT_MAX_TOKENS}.
 * The body was validated as chat already; what has no Anthropic counterpart is left out.
 */
final class AnthropicProviderRequests {

  static final int DEFAULT_MAX_TOKENS = 4096;

  private AnthropicProviderRequests() {
  }

  /** The Messages request for {@code model} of the provider. */
  static JsonObject of(JsonObject chat, String model) {
    JsonObject out = new JsonObject().put("model", model).put("max_tokens", maxTokens(chat));
    StringBuilder system = new StringBuilder();
    JsonArray messages = new JsonArray();
    for (Object item : chat.getJsonArray("messages", new JsonArray())) {
      if (!(item instanceof JsonObject message)) {
        continue;
      }
      String role = String.valueOf(message.getValue("role"));
      switch (role) {
        case "system", "developer" -> {
          String text = text(message.getValue("content"));
          if (!text.isEmpty()) {
            system.append(system.isEmpty() ? "" : "\n\n").append(text);
          }
        }
        case "assistant" -> add(messages, "assistant", assistant(message));
        case "tool" -> add(messages, "user", new JsonArray().add(new JsonObject().put("type", "tool_result")
            .put("tool_use_id", String.valueOf(message.getValue("tool_call_id")))
            .put("content", text(message.getValue("content")))));
        default -> add(messages, "user", blocks(message.getValue("content")));
      }
    }
    if (!system.isEmpty()) {
      out.put("system", system.toString());
    }
    out.put("messages", messages);
    copy(chat, "temperature", out, "temperature");
    copy(chat, "top_p", out, "top_p");
    copy(chat, "top_k", out, "top_k");
    if (chat.getValue("stop") instanceof String stop) {
      out.put("stop_sequences", new JsonArray().add(stop));
    } else if (chat.getValue("stop") instanceof JsonArray stops && !stops.isEmpty()) {
      out.put("stop_sequences", stops);
    }
    if (Boolean.TRUE.equals(chat.getValue("stream"))) {
      out.put("stream", true);
    }
    if (chat.getValue("user") instanceof String user) {
      out.put("metadata", new JsonObject().put("user_id", user));
    }
    tools(chat, out);
    return out;
  }

  private static int maxTokens(JsonObject chat) {
    for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
      if (chat.getValue(field) instanceof Number n && n.intValue() > 0) {
        return n.intValue();
      }
    }
    return DEFAULT_MAX_TOKENS;
  }

  /** Appends a turn; consecutive turns of the same role are joined (Anthropic wants them alternating). */
  private static void add(JsonArray messages, String role, JsonArray content) {
    if (content.isEmpty()) {
      return;
    }
    if (!messages.isEmpty() && messages.getValue(messages.size() - 1) instanceof JsonObject last
        && role.equals(last.getString("role"))) {
      last.getJsonArray("content").addAll(content);
      return;
    }
    messages.add(new JsonObject().put("role", role).put("content", content));
  }

  private static JsonArray assistant(JsonObject message) {
    JsonArray content = blocks(message.getValue("content"));
    if (message.getValue("tool_calls") instanceof JsonArray calls) {
      for (Object item : calls) {
        if (item instanceof JsonObject call && call.getValue("function") instanceof JsonObject function) {
          content.add(new JsonObject().put("type", "tool_use").put("id", String.valueOf(call.getValue("id")))
              .put("name", String.valueOf(function.getValue("name")))
              .put("input", AnthropicAnswers.arguments(function.getValue("arguments"))));
        }
      }
    }
    return content;
  }

  /** A message's content (a string or parts) as content blocks. */
  private static JsonArray blocks(Object content) {
    JsonArray blocks = new JsonArray();
    if (content instanceof String text) {
      if (!text.isEmpty()) {
        blocks.add(textBlock(text));
      }
      return blocks;
    }
    if (!(content instanceof JsonArray parts)) {
      return blocks;
    }
    for (Object item : parts) {
      if (!(item instanceof JsonObject part)) {
        continue;
      }
      String type = String.valueOf(part.getValue("type"));
      if ("text".equals(type) && part.getValue("text") instanceof String text && !text.isEmpty()) {
        blocks.add(textBlock(text));
      } else if ("image_url".equals(type)) {
        Object image = part.getValue("image_url");
        Object url = image instanceof JsonObject object ? object.getValue("url") : image;
        if (url instanceof String given) {
          blocks.add(new JsonObject().put("type", "image").put("source", source(given)));
        }
      }
    }
    return blocks;
  }

  /** An image URL as an Anthropic image source: {@code data:<type>;base64,<data>} inline, anything else by URL. */
  static JsonObject source(String url) {
    int comma = url.indexOf(',');
    if (url.startsWith("data:") && comma > 0 && url.substring(0, comma).endsWith(";base64")) {
      return new JsonObject().put("type", "base64").put("media_type", url.substring(5, comma - ";base64".length()))
          .put("data", url.substring(comma + 1));
    }
    return new JsonObject().put("type", "url").put("url", url);
  }

  private static JsonObject textBlock(String text) {
    return new JsonObject().put("type", "text").put("text", text);
  }

  /** A message's content as plain text: a string, or its text parts joined. */
  private static String text(Object content) {
    if (content instanceof String text) {
      return text;
    }
    StringBuilder joined = new StringBuilder();
    if (content instanceof JsonArray parts) {
      for (Object item : parts) {
        if (item instanceof JsonObject part && part.getValue("text") instanceof String text) {
          joined.append(joined.isEmpty() ? "" : "\n").append(text);
        }
      }
    }
    return joined.toString();
  }

  private static void tools(JsonObject chat, JsonObject out) {
    if (chat.getValue("tools") instanceof JsonArray tools && !tools.isEmpty()) {
      JsonArray converted = new JsonArray();
      for (Object item : tools) {
        if (item instanceof JsonObject tool && tool.getValue("function") instanceof JsonObject function) {
          JsonObject one = new JsonObject().put("name", String.valueOf(function.getValue("name")))
              .put("input_schema", function.getValue("parameters") instanceof JsonObject schema ? schema
                  : new JsonObject().put("type", "object"));
          if (function.getValue("description") instanceof String description) {
            one.put("description", description);
          }
          converted.add(one);
        }
      }
      out.put("tools", converted);
    }
    Object choice = chat.getValue("tool_choice");
    JsonObject toolChoice = null;
    if (choice instanceof String mode) {
      toolChoice = switch (mode) {
        case "required" -> new JsonObject().put("type", "any");
        case "none" -> new JsonObject().put("type", "none");
        default -> new JsonObject().put("type", "auto");
      };
    } else if (choice instanceof JsonObject named && named.getValue("function") instanceof JsonObject function) {
      toolChoice = new JsonObject().put("type", "tool").put("name", String.valueOf(function.getValue("name")));
    }
    if (Boolean.FALSE.equals(chat.getValue("parallel_tool_calls")) && out.containsKey("tools")) {
      toolChoice = (toolChoice == null ? new JsonObject().put("type", "auto") : toolChoice)
          .put("disable_parallel_tool_use", true);
    }
    if (toolChoice != null && out.containsKey("tools")) {
      out.put("tool_choice", toolChoice);
    }
  }

  private static void copy(JsonObject from, String field, JsonObject to, String as) {
    Object value = from.getValue(field);
    if (value != null) {
      to.put(as, value);
    }
  }
}
