package dev.gantry.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Token counts an engine reported for one request. */
record Usage(int promptTokens, int completionTokens) {

  static final Usage NONE = new Usage(0, 0);

  /** The {@code usage} object of an engine's JSON answer, or null when it has none. */
  static Usage find(Buffer body) {
    JsonObject usage = JsonScan.lastObject(body.getBytes(), "usage");
    return usage == null ? null : from(usage);
  }

  /** OpenAI's chat names ({@code prompt_tokens}, {@code completion_tokens}), or the Responses and images API's ({@code input_tokens}, {@code output_tokens}). */
  static Usage from(JsonObject usage) {
    return new Usage(count(usage, usage.containsKey("prompt_tokens") ? "prompt_tokens" : "input_tokens"),
        count(usage, usage.containsKey("completion_tokens") ? "completion_tokens" : "output_tokens"));
  }

  private static int count(JsonObject usage, String field) {
    Object value = usage.getValue(field);
    return value instanceof Number n ? Math.max(0, n.intValue()) : 0;
  }
}
