package dev.gantry.engine.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The JSON of completions and of their stream chunks, as OpenAI and vLLM frame them. */
class CompletionResponsesTest {

  @Test
  void shapesAChatCompletion() {
    JsonObject response = new CompletionResponses(true, "tiny", false)
        .complete("Hi!", "stop", CompletionResponses.usage(5, 2));

    assertThat(response.getString("id")).startsWith("chatcmpl-");
    assertThat(response.getString("object")).isEqualTo("chat.completion");
    assertThat(response.getString("model")).isEqualTo("tiny");
    assertThat(response.getLong("created")).isPositive();
    assertThat(response.getJsonArray("choices")).isEqualTo(new JsonArray().add(new JsonObject()
        .put("index", 0)
        .put("message", new JsonObject().put("role", "assistant").put("content", "Hi!"))
        .put("logprobs", null)
        .put("finish_reason", "stop")));
    assertThat(response.getJsonObject("usage")).isEqualTo(new JsonObject()
        .put("prompt_tokens", 5).put("completion_tokens", 2).put("total_tokens", 7));
  }

  @Test
  void shapesATextCompletion() {
    JsonObject response = new CompletionResponses(false, "tiny", false)
        .complete(" upon a time", "length", CompletionResponses.usage(1, 4));

    assertThat(response.getString("id")).startsWith("cmpl-");
    assertThat(response.getString("object")).isEqualTo("text_completion");
    JsonObject choice = response.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("text")).isEqualTo(" upon a time");
    assertThat(choice.getString("finish_reason")).isEqualTo("length");
  }

  @Test
  void streamsChatChunksWithTheRoleFirstAndTheFinishReasonLast() {
    CompletionResponses chunks = new CompletionResponses(true, "tiny", false);

    JsonObject first = chunks.roleChunk();
    JsonObject text = chunks.textChunk("Hi");
    JsonObject last = chunks.finishChunk("stop");

    assertThat(first.getString("object")).isEqualTo("chat.completion.chunk");
    assertThat(delta(first)).isEqualTo(new JsonObject().put("role", "assistant").put("content", ""));
    assertThat(delta(text)).isEqualTo(new JsonObject().put("content", "Hi"));
    assertThat(delta(last)).isEqualTo(new JsonObject());
    assertThat(choice(first).getValue("finish_reason")).isNull();
    assertThat(choice(text).getValue("finish_reason")).isNull();
    assertThat(choice(last).getString("finish_reason")).isEqualTo("stop");
    assertThat(first.getString("id")).isEqualTo(text.getString("id")).isEqualTo(last.getString("id"));
    assertThat(first.containsKey("usage")).isFalse();
  }

  @Test
  void addsNullUsageToEveryChunkAndAFinalUsageChunkWhenAskedFor() {
    CompletionResponses chunks = new CompletionResponses(true, "tiny", true);

    JsonObject usage = chunks.usageChunk(CompletionResponses.usage(3, 4));

    assertThat(chunks.textChunk("x").containsKey("usage")).isTrue();
    assertThat(chunks.textChunk("x").getValue("usage")).isNull();
    assertThat(chunks.finishChunk("stop").getValue("usage")).isNull();
    assertThat(usage.getJsonArray("choices")).isEmpty();
    assertThat(usage.getJsonObject("usage").getInteger("total_tokens")).isEqualTo(7);
    assertThat(usage.getString("object")).isEqualTo("chat.completion.chunk");
  }

  @Test
  void streamsTextCompletionChunksWithText() {
    CompletionResponses chunks = new CompletionResponses(false, "tiny", false);

    assertThat(chunks.textChunk(" once").getString("object")).isEqualTo("text_completion");
    assertThat(choice(chunks.textChunk(" once")).getString("text")).isEqualTo(" once");
    assertThat(choice(chunks.finishChunk("length")).getString("text")).isEmpty();
    assertThat(choice(chunks.finishChunk("length")).getString("finish_reason")).isEqualTo("length");
  }

  private static JsonObject choice(JsonObject chunk) {
    return chunk.getJsonArray("choices").getJsonObject(0);
  }

  private static JsonObject delta(JsonObject chunk) {
    return choice(chunk).getJsonObject("delta");
  }
}
