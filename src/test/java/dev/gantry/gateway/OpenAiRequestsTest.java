package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.common.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class OpenAiRequestsTest {

  @Test
  void acceptsAMinimalChatRequest() {
    JsonObject body = OpenAiRequests.parse(Operation.CHAT,
        Buffer.buffer("{\"model\":\"qwen\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream\":true}"));

    assertThat(body.getString("model")).isEqualTo("qwen");
    assertThat(ClientBody.of(body).streams(Operation.CHAT)).isTrue();
    assertThat(OpenAiRequests.clientWantsUsage(body)).isFalse();
  }

  @Test
  void aModelServesWhatItsCategoriesSayUnlessItsEngineIsCustom() {
    JsonObject embedding = new JsonObject().put("backend", "builtin").put("categories", new JsonArray().add("embedding"));
    JsonObject llm = new JsonObject().put("backend", "llama.cpp").put("categories", new JsonArray().add("llm"));
    JsonObject both = new JsonObject().put("backend", "llama.cpp").put("categories", new JsonArray().add("llm").add("embedding"));
    JsonObject custom = embedding.copy().put("backend", "custom");

    assertThat(OpenAiRequests.unsupported(Operation.CHAT, "minilm", embedding))
        .isEqualTo("model 'minilm' serves embeddings only and cannot answer /v1/chat/completions; send its requests"
            + " to POST /v1/embeddings, or choose a chat model (GET /v1/models lists them)");
    assertThat(OpenAiRequests.unsupported(Operation.COMPLETIONS, "minilm", embedding)).contains("/v1/completions");
    assertThat(OpenAiRequests.unsupported(Operation.EMBEDDINGS, "qwen", llm)).contains("serves no embeddings");
    assertThat(OpenAiRequests.unsupported(Operation.EMBEDDINGS, "minilm", embedding)).isNull();
    assertThat(OpenAiRequests.unsupported(Operation.CHAT, "qwen", llm)).isNull();
    assertThat(OpenAiRequests.unsupported(Operation.CHAT, "both", both)).isNull();
    assertThat(OpenAiRequests.unsupported(Operation.CHAT, "own", custom)).isNull();
  }

  @Test
  void passThroughOperationsGoOnlyToModelsWhoseCategoriesDeclareThemOnAnyBackend() {
    JsonObject minilm = new JsonObject().put("backend", "builtin").put("categories", new JsonArray().add("embedding"));
    JsonObject builtinChat = new JsonObject().put("backend", "builtin").put("categories", new JsonArray().add("llm"));
    JsonObject reranker = new JsonObject().put("backend", "llama.cpp").put("categories", new JsonArray().add("reranker"));
    JsonObject llamaEmbedding = new JsonObject().put("backend", "llama.cpp").put("categories", new JsonArray().add("embedding"));
    JsonObject whisper = new JsonObject().put("backend", "custom").put("categories", new JsonArray().add("speech_to_text"));
    JsonObject customChat = new JsonObject().put("backend", "custom").put("categories", new JsonArray().add("llm"));

    assertThat(OpenAiRequests.unsupported(Operation.RERANK, "minilm", minilm)).isNull();
    assertThat(OpenAiRequests.unsupported(Operation.RERANK, "rr", reranker)).isNull();
    assertThat(OpenAiRequests.unsupported(Operation.TRANSCRIPTIONS, "whisper", whisper)).isNull();
    assertThat(OpenAiRequests.unsupported(Operation.RERANK, "tiny", builtinChat)).contains("'tiny'", "builtin engine");
    assertThat(OpenAiRequests.unsupported(Operation.RERANK, "emb", llamaEmbedding)).contains("'reranker'", "--reranking");
    assertThat(OpenAiRequests.unsupported(Operation.SPEECH, "minilm", minilm))
        .contains("builtin engine", "text_to_speech");
    assertThat(OpenAiRequests.unsupported(Operation.IMAGE_EDITS, "own", customChat)).contains("'image'", "/v1/images/edits");
    assertThat(OpenAiRequests.unsupported(Operation.TRANSLATIONS, "whisper", whisper)).isNull();
  }

  @Test
  void namesTheFieldThatIsWrong() {
    assertRejected(Operation.CHAT, "", "request body is required");
    assertRejected(Operation.CHAT, "[1]", "must be a JSON object");
    assertRejected(Operation.CHAT, "{\"model\":", "not valid JSON");
    assertRejected(Operation.CHAT, "{\"messages\":[]}", "field 'model'");
    assertRejected(Operation.CHAT, "{\"model\":7,\"messages\":[]}", "field 'model'");
    assertRejected(Operation.CHAT, "{\"model\":\"m\"}", "field 'messages'");
    assertRejected(Operation.CHAT, "{\"model\":\"m\",\"messages\":[]}", "field 'messages'");
    assertRejected(Operation.CHAT, "{\"model\":\"m\",\"messages\":[\"hi\"]}", "field 'messages[0]'");
    assertRejected(Operation.CHAT, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"stream\":\"yes\"}", "field 'stream'");
    assertRejected(Operation.CHAT, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"stream_options\":{\"include_usage\":1}}",
        "field 'stream_options.include_usage'");
    assertRejected(Operation.COMPLETIONS, "{\"model\":\"m\"}", "field 'prompt'");
    assertRejected(Operation.EMBEDDINGS, "{\"model\":\"m\"}", "field 'input'");
    assertRejected(Operation.EMBEDDINGS, "{\"model\":\"m\",\"input\":[]}", "field 'input'");
    assertRejected(Operation.EMBEDDINGS, "{\"model\":\"m\",\"input\":{}}", "field 'input'");
  }

  @Test
  void asksTheEngineForUsageWithoutLosingTheClientsOtherStreamOptions() {
    JsonObject body = new JsonObject("{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"continuous_usage_stats\":false}}");

    JsonObject upstream = OpenAiRequests.withUsageRequested(body).toJsonObject();

    assertThat(upstream.getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
    assertThat(upstream.getJsonObject("stream_options").getBoolean("continuous_usage_stats")).isFalse();
    assertThat(body.getJsonObject("stream_options").containsKey("include_usage")).isFalse();
  }

  @Test
  void embeddingsNeverStream() {
    JsonObject body = OpenAiRequests.parse(Operation.EMBEDDINGS, Buffer.buffer("{\"model\":\"m\",\"input\":\"x\",\"stream\":true}"));

    assertThat(ClientBody.of(body).streams(Operation.EMBEDDINGS)).isFalse();
  }

  private static void assertRejected(Operation operation, String body, String message) {
    assertThatThrownBy(() -> OpenAiRequests.parse(operation, Buffer.buffer(body)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining(message);
  }
}
