package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.gantry.common.Ids;
import dev.gantry.engine.builtin.demo.DemoChatModel;
import dev.gantry.testing.TestFiles;
import dev.gantry.testmodels.TestModels;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code builtin} backend end to end, with nothing else installed: the bundled all-MiniLM-L6-v2
 * serves real embeddings, and a GGUF file chats through llama.cpp inside Gantry's own child JVM, both
 * called through the gateway with the official OpenAI Java SDK, one usage record per request.
 */
class GatewayBuiltinEngineTest {

  static GatewayTestNode gantry;
  static Path dir;
  static String minilm;
  static String chat;
  static String demo;
  static OpenAIClient client;

  @BeforeAll
  static void deploy() throws Exception {
    dir = TestFiles.tempDir("gantry-builtin-");
    Path gguf = TestModels.deterministic(dir.resolve("deterministic.gguf"));
    gantry = GatewayTestNode.start();
    minilm = "minilm-" + Ids.random(6);
    chat = "builtin-chat-" + Ids.random(6);
    demo = "tiny-chat-" + Ids.random(6);
    gantry.deploy(new JsonObject().put("name", minilm).put("source", "builtin").put("builtin_model", "all-minilm-l6-v2"), 1);
    gantry.deploy(new JsonObject().put("name", chat).put("backend", "builtin").put("local_path", gguf.toString()), 1);
    gantry.deploy(new JsonObject().put("name", demo).put("source", "builtin").put("builtin_model", "gantry-tiny-chat"), 1);
    client = OpenAIOkHttpClient.builder().baseUrl(gantry.baseUrl())
        .apiKey(gantry.apiKey(true, "inference", null).getString("value")).maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    if (gantry != null) {
      gantry.close();
      TestFiles.deleteRecursively(dir);
    }
  }

  @Test
  void theBundledMiniLmServesNormalisedVectorsThatPutSimilarSentencesClose() {
    CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder().model(minilm)
        .inputOfArrayOfStrings(List.of("A cat sits on the mat.", "There is a cat on the mat.",
            "Stock markets fell sharply today."))
        .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());

    List<List<Float>> vectors = response.data().stream().map(d -> d.embedding()).toList();
    assertThat(vectors).hasSize(3).allSatisfy(v -> {
      assertThat(v).hasSize(384);
      assertThat(v.stream().mapToDouble(x -> x * x).sum()).isCloseTo(1.0, offset(1e-4));
    });
    assertThat(cosine(vectors.get(0), vectors.get(1))).isGreaterThan(cosine(vectors.get(0), vectors.get(2)) + 0.3);
    assertThat(gantry.usageRows(minilm, 1)).singleElement().satisfies(row -> {
      assertThat(row.getString("operation")).isEqualTo("embeddings");
      assertThat(row.getLong("prompt_tokens")).isEqualTo(response.usage().promptTokens()).isPositive();
      assertThat(row.getString("outcome")).isEqualTo("ok");
    });
  }

  @Test
  void aGgufModelChatsWholeAndStreamedOnTheBuiltinEngine() {
    ChatCompletion whole = client.chat().completions().create(hi().build());
    List<ChatCompletionChunk> chunks;
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(hi().build())) {
      chunks = stream.stream().toList();
    }

    assertThat(whole.choices().get(0).message().content()).contains(TestModels.REPLY);
    assertThat(whole.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(whole.usage().orElseThrow().promptTokens()).isEqualTo(TestModels.PROMPT_TOKENS_FOR_HI);
    assertThat(whole.usage().orElseThrow().completionTokens()).isEqualTo(TestModels.COMPLETION_TOKENS);
    assertThat(chunks.stream().flatMap(c -> c.choices().stream()).map(c -> c.delta().content().orElse(""))
        .collect(Collectors.joining())).isEqualTo(TestModels.REPLY);
    assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.usage()).isEmpty());
    assertThat(gantry.usageRows(chat, 2)).hasSize(2).allSatisfy(row -> {
      assertThat(row.getInteger("completion_tokens")).isEqualTo(TestModels.COMPLETION_TOKENS);
      assertThat(row.getString("outcome")).isEqualTo("ok");
    });
  }

  @Test
  void theBundledDemoChatModelAnswersItsFixedSentenceAndStopsWithNothingInstalled() {
    ChatCompletion greedy = client.chat().completions().create(ChatCompletionCreateParams.builder().model(demo)
        .addUserMessage("What can you do?").temperature(0.0).build());
    ChatCompletion sampled = client.chat().completions().create(ChatCompletionCreateParams.builder().model(demo)
        .addUserMessage("Tell me a story").temperature(1.0).seed(7L).build());

    assertThat(greedy.choices().get(0).message().content()).contains(DemoChatModel.REPLY);
    assertThat(greedy.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(greedy.usage().orElseThrow().completionTokens()).isEqualTo(DemoChatModel.PIECES.size() + 1);
    assertThat(sampled.choices().get(0).message().content()).contains(DemoChatModel.REPLY);
    assertThat(gantry.instances(demo)).singleElement()
        .satisfies(instance -> assertThat(instance.getJsonArray("categories").getList()).containsExactly("llm"));
    assertThat(gantry.usageRows(demo, 2)).hasSize(2)
        .allSatisfy(row -> assertThat(row.getString("outcome")).isEqualTo("ok"));
  }

  private static ChatCompletionCreateParams.Builder hi() {
    return ChatCompletionCreateParams.builder().model(chat).addUserMessage("Hi");
  }

  private static double cosine(List<Float> a, List<Float> b) {
    double dot = 0;
    for (int i = 0; i < a.size(); i++) {
      dot += a.get(i) * b.get(i);
    }
    return dot;
  }
}
