package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.gantry.common.Ids;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK against a real node whose models are served by real (test) engine processes. */
class GatewaySdkTest {

  static GatewayTestNode gantry;
  static JsonObject key;
  static OpenAIClient client;

  @BeforeAll
  static void startNode() throws Exception {
    gantry = GatewayTestNode.start();
    key = gantry.apiKey(true, "*", null);
    client = sdk(key.getString("value"));
  }

  @AfterAll
  static void stopNode() {
    gantry.close();
  }

  @Test
  void chatCompletionComesBackWholeWithUsageAndIsRecordedOnce() throws Exception {
    String model = servedModel();

    HttpResponseFor<ChatCompletion> response = client.chat().completions().withRawResponse().create(chat(model).build());
    ChatCompletion completion = response.parse();

    assertThat(completion.choices().get(0).message().content()).contains(TestEngine.REPLY);
    assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(TestEngine.PROMPT_TOKENS);
    String requestId = response.headers().values("X-Request-Id").get(0);
    JsonObject row = onlyRow(model);
    assertThat(row.getString("request_id")).isEqualTo(requestId);
    assertThat(row.getString("operation")).isEqualTo("chat.completions");
    assertThat(row.getInteger("prompt_tokens")).isEqualTo(TestEngine.PROMPT_TOKENS);
    assertThat(row.getInteger("completion_tokens")).isEqualTo(TestEngine.TOKENS.size());
    assertThat(row.getInteger("status")).isEqualTo(200);
    assertThat(row.getString("outcome")).isEqualTo("ok");
    assertThat(row.getString("api_key_id")).isEqualTo(key.getString("id"));
    assertThat(row.getString("instance_id")).isEqualTo(gantry.instances(model).get(0).getString("id"));
    assertThat(row.getString("node_name")).isEqualTo(gantry.nodes.name(1));
    assertThat(row.getValue("ttft_ms")).isNull();
  }

  @Test
  void streamedChatRelaysEveryTokenAndHidesTheUsageChunkTheClientDidNotAskFor() throws Exception {
    String model = servedModel();

    List<ChatCompletionChunk> chunks;
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(chat(model).build())) {
      chunks = stream.stream().toList();
    }

    assertThat(text(chunks)).isEqualTo(TestEngine.REPLY);
    assertThat(chunks).allSatisfy(chunk -> {
      assertThat(chunk.choices()).isNotEmpty();
      assertThat(chunk.usage()).isEmpty();
    });
    assertThat(chunks.get(chunks.size() - 1).choices().get(0).finishReason()).contains(ChatCompletionChunk.Choice.FinishReason.STOP);
    JsonObject row = onlyRow(model);
    assertThat(row.getInteger("prompt_tokens")).isEqualTo(TestEngine.PROMPT_TOKENS);
    assertThat(row.getInteger("completion_tokens")).isEqualTo(TestEngine.TOKENS.size());
    assertThat(row.getInteger("ttft_ms")).isNotNull();
    assertThat(row.getString("outcome")).isEqualTo("ok");
  }

  @Test
  void streamedChatKeepsTheUsageChunkForAClientThatAskedForIt() throws Exception {
    String model = servedModel();
    ChatCompletionCreateParams params = chat(model)
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();

    List<ChatCompletionChunk> chunks;
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      chunks = stream.stream().toList();
    }

    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(TestEngine.TOKENS.size());
    assertThat(text(chunks)).isEqualTo(TestEngine.REPLY);
    assertThat(onlyRow(model).getInteger("completion_tokens")).isEqualTo(TestEngine.TOKENS.size());
  }

  @Test
  void completionsAndEmbeddingsGoThroughAndAreRecordedWithTheirOperation() throws Exception {
    String model = servedModel();

    Completion completion = client.completions().create(CompletionCreateParams.builder().model(model).prompt("Hi")
        .maxTokens(16).build());
    CreateEmbeddingResponse embeddings = client.embeddings().create(EmbeddingCreateParams.builder().model(model)
        .input("A cat sits on the mat.").build());

    assertThat(completion.choices().get(0).text()).isEqualTo(TestEngine.REPLY);
    assertThat(embeddings.data().get(0).embedding()).containsExactly(0.6f, 0.8f);
    assertThat(embeddings.usage().promptTokens()).isEqualTo(3);
    List<JsonObject> rows = gantry.usageRows(model, 2);
    assertThat(rows).extracting(r -> r.getString("operation")).containsExactlyInAnyOrder("completions", "embeddings");
    assertThat(rows).filteredOn(r -> r.getString("operation").equals("embeddings"))
        .singleElement().satisfies(r -> assertThat(r.getInteger("prompt_tokens")).isEqualTo(3));
  }

  @Test
  void anUnknownModelIsA404InOpenAiShapeAndIsStillRecorded() throws Exception {
    String model = "no-such-" + Ids.random(6);

    assertThatThrownBy(() -> client.chat().completions().create(chat(model).build()))
        .isInstanceOfSatisfying(NotFoundException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(404);
          assertThat(e.code()).contains("model_not_found");
          assertThat(e.getMessage()).contains("model '" + model + "' does not exist");
        });
    JsonObject row = onlyRow(model);
    assertThat(row.getInteger("status")).isEqualTo(404);
    assertThat(row.getString("outcome")).isEqualTo("error");
    assertThat(row.getValue("instance_id")).isNull();
  }

  @Test
  void modelsListsOnlyWhatTheKeyMayUse() throws Exception {
    String mine = servedModel();
    String other = servedModel();
    OpenAIClient restricted = sdk(gantry.apiKey(true, "inference", new JsonArray().add(mine)).getString("value"));

    List<String> all = client.models().list().data().stream().map(Model::id).toList();
    List<String> allowed = restricted.models().list().data().stream().map(Model::id).toList();

    assertThat(all).contains(mine, other);
    assertThat(allowed).containsExactly(mine);
    assertThatThrownBy(() -> restricted.chat().completions().create(chat(other).build()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void usageIsGroupedAndANonAdminSeesOnlyTheirOwn() throws Exception {
    String model = servedModel();
    JsonObject adminKey = gantry.apiKey(false, "*", null);
    client.chat().completions().create(chat(model).build());
    client.chat().completions().create(chat(model).build());
    sdk(adminKey.getString("value")).chat().completions().create(chat(model).build());
    gantry.usageRows(model, 3);

    JsonObject mine = new JsonObject(gantry.call("GET", "/v2/usage?group_by=model,user", key.getString("value"), null).body());
    JsonObject all = new JsonObject(gantry.admin.get("/v2/usage?group_by=model&from=2020-01-01").body());
    int bad = gantry.call("GET", "/v2/usage?group_by=model,colour", key.getString("value"), null).statusCode();

    assertThat(items(mine, model)).singleElement().satisfies(item -> {
      assertThat(item.getLong("request_count")).isEqualTo(2);
      assertThat(item.getLong("user_id")).isEqualTo(key.getLong("user_id"));
      assertThat(item.getLong("prompt_tokens")).isEqualTo(2L * TestEngine.PROMPT_TOKENS);
    });
    assertThat(items(all, model)).singleElement().satisfies(item -> assertThat(item.getLong("request_count")).isEqualTo(3));
    assertThat(bad).isEqualTo(400);
  }

  @Test
  void metricsCountRequestsAndTokensByModel() throws Exception {
    String model = servedModel();
    client.chat().completions().create(chat(model).build());
    gantry.usageRows(model, 1);

    String metrics = gantry.admin.get("/metrics").body();

    assertThat(metrics).containsPattern("gantry_gateway_requests_total\\{[^}]*model=\"" + model + "\"[^}]*status=\"200\"[^}]*} 1.0");
    assertThat(metrics).containsPattern("gantry_gateway_tokens_total\\{[^}]*model=\"" + model + "\"[^}]*type=\"completion\"[^}]*} 6.0");
    assertThat(metrics).contains("gantry_gateway_request_duration_seconds_count{");
  }

  /** A new model served by one new test engine process, visible to the gateway. */
  private static String servedModel() {
    String model = "m-" + Ids.random(8);
    gantry.deployTestEngines(model, 1);
    return model;
  }

  private static JsonObject onlyRow(String model) throws Exception {
    List<JsonObject> rows = gantry.usageRows(model, 1);
    assertThat(rows).hasSize(1);
    return rows.get(0);
  }

  private static List<JsonObject> items(JsonObject usage, String model) {
    return usage.getJsonArray("items").stream().map(JsonObject.class::cast).filter(i -> model.equals(i.getString("model")))
        .toList();
  }

  private static String text(List<ChatCompletionChunk> chunks) {
    return chunks.stream().flatMap(c -> c.choices().stream()).map(c -> c.delta().content().orElse(""))
        .collect(Collectors.joining());
  }

  private static ChatCompletionCreateParams.Builder chat(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Hi");
  }

  static OpenAIClient sdk(String apiKey) {
    return OpenAIOkHttpClient.builder().baseUrl(gantry.baseUrl()).apiKey(apiKey).maxRetries(0).build();
  }
}
