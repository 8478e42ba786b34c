package dev.gantry.engine.builtin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * The OpenAI (and vLLM) JSON shapes of one chat or text completion: the whole response, or the
 * chunks of its stream. One instance per request keeps the id and creation time of all its chunks.
 */
final class CompletionResponses {

  private final boolean chat;
  private final String id;
  private final long created;
  private final String model;
  private final boolean includeUsage;

  CompletionResponses(boolean chat, String model, boolean includeUsage) {
    this.chat = chat;
    this.id = (chat ? "chatcmpl-" : "cmpl-") + UUID.randomUUID().toString().replace("-", "");
    this.created = System.currentTimeMillis() / 1000;
    this.model = model;
    this.includeUsage = includeUsage;
  }

  boolean includesUsage() {
    return includeUsage;
  }

  static JsonObject usage(int promptTokens, int completionTokens) {
    return new JsonObject()
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens);
  }

  /** The non-streaming response. */
  JsonObject complete(String text, String finishReason, JsonObject usage) {
    JsonObject choice = new JsonObject().put("index", 0);
    if (chat) {
      choice.put("message", new JsonObject().put("role", "assistant").put("content", text));
    } else {
      choice.put("text", text);
    }
    choice.put("logprobs", null).put("finish_reason", finishReason);
    return envelope(chat ? "chat.completion" : "text_completion")
        .put("choices", new JsonArray().add(choice))
        .put("usage", usage);
  }

  /** The first chunk of a chat stream: the assistant role and no text yet. */
  JsonObject roleChunk() {
    return chunk(new JsonObject().put("role", "assistant").put("content", ""), null);
  }

  /** A chunk carrying the next piece of generated text. */
  JsonObject textChunk(String text) {
    return chunk(chat ? new JsonObject().put("content", text) : null, text);
  }

  /** The last chunk with choices: no text, and why generation ended. */
  JsonObject finishChunk(String finishReason) {
    JsonObject chunk = chunk(chat ? new JsonObject() : null, "");
    chunk.getJsonArray("choices").getJsonObject(0).put("finish_reason", finishReason);
    return chunk;
  }

  /** The extra chunk sent when {@code stream_options.include_usage} is set: empty choices and the usage. */
  JsonObject usageChunk(JsonObject usage) {
    return envelope(streamObject()).put("choices", new JsonArray()).put("usage", usage);
  }

  private JsonObject chunk(JsonObject delta, String text) {
    JsonObject choice = new JsonObject().put("index", 0);
    if (chat) {
      choice.put("delta", delta);
    } else {
      choice.put("text", text);
    }
    choice.put("logprobs", null).put("finish_reason", null);
    JsonObject chunk = envelope(streamObject()).put("choices", new JsonArray().add(choice));
    if (includeUsage) {
      chunk.put("usage", null);
    }
    return chunk;
  }

  private String streamObject() {
    return chat ? "chat.completion.chunk" : "text_completion";
  }

  private JsonObject envelope(String object) {
    return new JsonObject().put("id", id).put("object", object).put("created", created).put("model", model);
  }
}
