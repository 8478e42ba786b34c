package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.gantry.common.Ids;
import dev.gantry.testing.TestFiles;
import dev.gantry.testmodels.TestModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole path with a real engine: the deterministic tiny GGUF deployed on the {@code llama.cpp}
 * backend, called through the gateway with the official OpenAI Java SDK; exact text, chunks, finish
 * reasons and token counts, and exactly one usage record per request.
 */
class GatewayLlamaServerTest {

  private static final ChatCompletionChunk.Choice.FinishReason CHUNK_STOP = ChatCompletionChunk.Choice.FinishReason.STOP;

  static GatewayTestNode gantry;
  static Path dir;
  static String chatModel;
  static String embeddingModel;
  static OpenAIClient client;

  @BeforeAll
  static void deploy() throws Exception {
    assumeTrue(System.getenv("GANTRY_LLAMA_SERVER") != null, "GANTRY_LLAMA_SERVER is not set (scripts/test.sh sets it)");
    dir = TestFiles.tempDir("gantry-gateway-gguf-");
    Path gguf = TestModels.deterministic(dir.resolve("deterministic.gguf"));
    gantry = GatewayTestNode.start();
    chatModel = "det-" + Ids.random(6);
    embeddingModel = "det-emb-" + Ids.random(6);
    gantry.deploy(new JsonObject().put("name", chatModel).put("backend", "llama.cpp").put("local_path", gguf.toString())
        .put("backend_parameters", new JsonArray().add("-c").add("512")), 1);
    gantry.deploy(new JsonObject().put("name", embeddingModel).put("backend", "llama.cpp").put("local_path", gguf.toString())
        .put("categories", new JsonArray().add("embedding")), 1);
    client = OpenAIOkHttpClient.builder().baseUrl(gantry.baseUrl()).apiKey(gantry.apiKey(true, "inference", null)
        .getString("value")).maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    if (gantry != null) {
      gantry.close();
      TestFiles.deleteRecursively(dir);
    }
  }

  @Test
  void chatAnswersTheFixedSentenceWholeAndStreamedWithExactUsageRecordedOncePerRequest() {
    ChatCompletion whole = client.chat().completions().create(hi(chatModel).build());
    List<ChatCompletionChunk> plain = stream(hi(chatModel).build());
    List<ChatCompletionChunk> withUsage = stream(hi(chatModel)
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());

    assertThat(whole.choices().get(0).message().content()).contains(TestModels.REPLY);
    assertThat(whole.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(whole.usage().orElseThrow().promptTokens()).isEqualTo(TestModels.PROMPT_TOKENS_FOR_HI);
    assertThat(whole.usage().orElseThrow().completionTokens()).isEqualTo(TestModels.COMPLETION_TOKENS);
    assertThat(text(plain)).isEqualTo(TestModels.REPLY);
    assertThat(plain.stream().flatMap(c -> c.choices().stream()).map(c -> c.delta().content().orElse(""))
        .filter(s -> !s.isEmpty()).toList()).containsExactly("Hello", " from", " Gantry", ".");
    assertThat(plain).allSatisfy(chunk -> assertThat(chunk.usage()).isEmpty());
    assertThat(plain.get(plain.size() - 1).choices().get(0).finishReason()).contains(CHUNK_STOP);
    assertThat(withUsage.get(withUsage.size() - 1).choices()).isEmpty();
    assertThat(withUsage.get(withUsage.size() - 1).usage().orElseThrow().completionTokens())
        .isEqualTo(TestModels.COMPLETION_TOKENS);
    List<JsonObject> rows = gantry.usageRows(chatModel, 3).stream()
        .filter(row -> "chat.completions".equals(row.getString("operation"))).toList();
    assertThat(rows).hasSize(3).allSatisfy(row -> {
      assertThat(row.getInteger("prompt_tokens")).isEqualTo(TestModels.PROMPT_TOKENS_FOR_HI);
      assertThat(row.getInteger("completion_tokens")).isEqualTo(TestModels.COMPLETION_TOKENS);
      assertThat(row.getString("outcome")).isEqualTo("ok");
    });
    assertThat(rows).filteredOn(row -> row.getValue("ttft_ms") != null).hasSize(2);
  }

  @Test
  void completionsAndEmbeddingsComeFromTheEngineWithItsUsage() {
    Completion completion = client.completions().create(CompletionCreateParams.builder().model(chatModel).prompt("Hi")
        .maxTokens(16).build());
    CreateEmbeddingResponse embeddings = client.embeddings().create(EmbeddingCreateParams.builder().model(embeddingModel)
        .input("A cat sits on the mat.").build());

    assertThat(completion.choices().get(0).text()).isEqualTo(TestModels.REPLY);
    List<Float> vector = embeddings.data().get(0).embedding();
    assertThat(vector).hasSize(64);
    assertThat(vector.stream().mapToDouble(v -> v * v).sum()).isCloseTo(1.0, offset(1e-4));
    assertThat(gantry.usageRows(embeddingModel, 1)).singleElement().satisfies(row -> {
      assertThat(row.getString("operation")).isEqualTo("embeddings");
      assertThat(row.getLong("prompt_tokens")).isEqualTo(embeddings.usage().promptTokens());
    });
    assertThat(gantry.usageRows(chatModel, 1)).filteredOn(row -> "completions".equals(row.getString("operation")))
        .singleElement().satisfies(row -> assertThat(row.getInteger("completion_tokens")).isEqualTo(TestModels.COMPLETION_TOKENS));
  }

  @Test
  void theResponsesApiIsServedOverLlamaServersChatWholeAndStreamed() {
    ResponseCreateParams params = ResponseCreateParams.builder().model(chatModel).input("Hi").build();
    Response whole = client.responses().create(params);
    List<ResponseStreamEvent> events;
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
      events = stream.stream().toList();
    }

    assertThat(whole.output()).singleElement().satisfies(item -> assertThat(item.message().orElseThrow().content().get(0)
        .outputText().orElseThrow().text()).isEqualTo(TestModels.REPLY));
    assertThat(whole.usage().orElseThrow().inputTokens()).isEqualTo(TestModels.PROMPT_TOKENS_FOR_HI);
    assertThat(whole.usage().orElseThrow().outputTokens()).isEqualTo(TestModels.COMPLETION_TOKENS);
    assertThat(events.get(0).isCreated()).isTrue();
    assertThat(events.stream().flatMap(e -> e.outputTextDelta().stream()).map(d -> d.delta())
        .collect(Collectors.joining())).isEqualTo(TestModels.REPLY);
    Response completed = events.get(events.size() - 1).completed().orElseThrow().response();
    assertThat(completed.usage().orElseThrow().outputTokens()).isEqualTo(TestModels.COMPLETION_TOKENS);
    assertThat(gantry.usageRows(chatModel, 2)).filteredOn(row -> "responses".equals(row.getString("operation")))
        .hasSize(2).allSatisfy(row -> {
          assertThat(row.getInteger("prompt_tokens")).isEqualTo(TestModels.PROMPT_TOKENS_FOR_HI);
          assertThat(row.getInteger("completion_tokens")).isEqualTo(TestModels.COMPLETION_TOKENS);
        });
  }

  private static List<ChatCompletionChunk> stream(ChatCompletionCreateParams params) {
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      return stream.stream().toList();
    }
  }

  private static ChatCompletionCreateParams.Builder hi(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Hi");
  }

  private static String text(List<ChatCompletionChunk> chunks) {
    return chunks.stream().flatMap(c -> c.choices().stream()).map(c -> c.delta().content().orElse(""))
        .collect(Collectors.joining());
  }
}
