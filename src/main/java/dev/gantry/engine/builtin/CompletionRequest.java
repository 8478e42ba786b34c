package dev.gantry.engine.builtin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated {@code /v1/chat/completions} or {@code /v1/completions} request: either chat messages
 * (roles with string content) or a raw prompt, plus the sampling fields this engine honours.
 */
record CompletionRequest(
    boolean chat, JsonArray messages, String prompt, Integer maxTokens, double temperature, double topP,
    List<String> stop, Integer seed, boolean stream, boolean includeUsage) {

  /** Parses a request body; every problem is a 400 that names the field. */
  static CompletionRequest parse(JsonObject body, boolean chat, String servedModel) {
    JsonFields.checkModel(body, servedModel);
    JsonArray messages = chat ? ChatMessages.normalize(JsonFields.requiredNonEmptyArray(body, "messages")) : null;
    String prompt = chat ? null : prompt(body.getValue("prompt"));
    Integer maxTokens = JsonFields.optionalInt(body, "max_tokens", 1, Integer.MAX_VALUE);
    if (chat && maxTokens == null) {
      maxTokens = JsonFields.optionalInt(body, "max_completion_tokens", 1, Integer.MAX_VALUE);
    }
    Double temperature = JsonFields.optionalNumber(body, "temperature", 0, 2);
    Double topP = JsonFields.optionalNumber(body, "top_p", 0, 1);
    Integer seed = seed(body);
    Integer n = JsonFields.optionalInt(body, "n", 1, Integer.MAX_VALUE);
    if (n != null && n != 1) {
      throw OpenAiError.badField("n", "must be 1: this engine generates one choice per request");
    }
    boolean stream = JsonFields.optionalBoolean(body, "stream");
    boolean includeUsage = JsonFields.optionalBoolean(JsonFields.optionalObject(body, "stream_options"), "include_usage");
    return new CompletionRequest(chat, messages, prompt, maxTokens, temperature == null ? 1.0 : temperature,
        topP == null ? 1.0 : topP, stop(body.getValue("stop")), seed, stream, stream && includeUsage);
  }

  /**
   * Sampling for a prompt of {@code promptTokens} in a context of {@code contextSize}: the requested
   * {@code max_tokens}, or the rest of the context when absent or larger.
   */
  SamplingParams sampling(int promptTokens, int contextSize) {
    int room = contextSize - promptTokens;
    if (room <= 0) {
      throw OpenAiError.badField(chat ? "messages" : "prompt", "take " + promptTokens
          + " tokens, which leaves no room to generate in this model's context of " + contextSize + " tokens");
    }
    int max = maxTokens == null ? room : Math.min(maxTokens, room);
    return new SamplingParams(max, (float) temperature, (float) topP, stop, seed);
  }

  private static String prompt(Object value) {
    if (value instanceof String text) {
      return text;
    }
    if (value instanceof JsonArray array && array.size() == 1 && array.getValue(0) instanceof String text) {
      return text;
    }
    if (value == null) {
      throw OpenAiError.badField("prompt", "is required");
    }
    throw OpenAiError.badField("prompt", "must be a string (or an array holding one string)");
  }

  private static List<String> stop(Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof String text) {
      return text.isEmpty() ? List.of() : List.of(text);
    }
    if (!(value instanceof JsonArray array)) {
      throw OpenAiError.badField("stop", "must be a string or an array of strings");
    }
    List<String> stops = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String text)) {
        throw OpenAiError.badField("stop", "must be a string or an array of strings");
      }
      if (!text.isEmpty()) {
        stops.add(text);
      }
    }
    return List.copyOf(stops);
  }

  private static Integer seed(JsonObject body) {
    Object value = body.getValue("seed");
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
      throw OpenAiError.badField("seed", "must be an integer");
    }
    return (int) number.longValue();
  }
}
