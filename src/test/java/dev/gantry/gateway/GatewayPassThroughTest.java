package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionCreateResponse;
import dev.gantry.common.Ids;
import dev.gantry.testing.TestFiles;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pass-through operations: {@code /v1/rerank} on the builtin engine (the bundled MiniLM ranks by
 * embedding similarity), and {@code /v1/audio/*} and {@code /v1/images/*} on a {@link TestEngine} model
 * whose categories declare them (the engine answers what bytes it received, so the multipart form is
 * shown to pass unchanged); models that do not declare an operation are refused with
 * {@code unsupported_endpoint}; every request leaves one usage record under its operation.
 */
class GatewayPassThroughTest {

  static GatewayTestNode gantry;
  static Path engineFiles;
  static String minilm;
  static String demo;
  static String media;
  static String plain;
  static String key;
  static final HttpClient HTTP = HttpClient.newHttpClient();
  /** The node's {@code --max-inference-body}: above the 1 MiB of the management API, small enough to exceed cheaply. */
  static final int INFERENCE_LIMIT_MIB = 2;
  static final int MIB = 1 << 20;

  @BeforeAll
  static void deploy() {
    gantry = GatewayTestNode.startWith("--max-inference-body", String.valueOf(INFERENCE_LIMIT_MIB));
    engineFiles = GatewayTestNode.writeTestEngineFiles();
    minilm = "minilm-" + Ids.random(6);
    demo = "tiny-chat-" + Ids.random(6);
    media = "media-" + Ids.random(6);
    plain = "plain-" + Ids.random(6);
    gantry.deploy(new JsonObject().put("name", minilm).put("source", "builtin").put("builtin_model", "all-minilm-l6-v2"), 1);
    gantry.deploy(new JsonObject().put("name", demo).put("source", "builtin").put("builtin_model", "gantry-tiny-chat"), 1);
    gantry.deploy(GatewayTestNode.testEngineSpec(media, engineFiles)
        .put("categories", new JsonArray().add("speech_to_text").add("text_to_speech").add("image")), 1);
    gantry.deploy(GatewayTestNode.testEngineSpec(plain, engineFiles), 1);
    key = gantry.apiKey(true, "inference", null).getString("value");
  }

  @AfterAll
  static void stop() {
    if (gantry != null) {
      gantry.close();
      TestFiles.deleteRecursively(engineFiles);
    }
  }

  @Test
  void theBuiltinEngineReranksByEmbeddingSimilarityAndTheRequestIsMetered() throws Exception {
    String requestId = "rerank-" + Ids.random(8);
    HttpResponse<String> response = gantry.call("POST", "/v1/rerank", key, new JsonObject().put("model", minilm)
        .put("query", "Where is the cat?").put("top_n", 2).put("return_documents", true)
        .put("documents", new JsonArray().add("Stock markets fell sharply today.").add("A cat sits on the mat.")
            .add(new JsonObject().put("text", "The weather is sunny."))).encode(), "X-Request-Id", requestId);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject answer = new JsonObject(response.body());
    JsonArray results = answer.getJsonArray("results");
    assertThat(results).hasSize(2);
    assertThat(results.getJsonObject(0).getInteger("index")).isEqualTo(1);
    assertThat(results.getJsonObject(0).getJsonObject("document").getString("text")).isEqualTo("A cat sits on the mat.");
    assertThat(results.getJsonObject(0).getDouble("relevance_score"))
        .isGreaterThan(results.getJsonObject(1).getDouble("relevance_score"));
    int promptTokens = answer.getJsonObject("usage").getInteger("prompt_tokens");
    assertThat(promptTokens).isPositive();
    JsonObject row = gantry.usageRowOfRequest(requestId);
    assertThat(row.getString("operation")).isEqualTo("rerank");
    assertThat(row.getInteger("prompt_tokens")).isEqualTo(promptTokens);
    assertThat(row.getInteger("status")).isEqualTo(200);
  }

  @Test
  void rerankIsRefusedForAChatModelAndForABodyWithoutAQuery() throws Exception {
    HttpResponse<String> chat = gantry.call("POST", "/v1/rerank", key, new JsonObject().put("model", demo)
        .put("query", "q").put("documents", new JsonArray().add("d")).encode());
    HttpResponse<String> noQuery = gantry.call("POST", "/v1/rerank", key, new JsonObject().put("model", minilm)
        .put("documents", new JsonArray().add("d")).encode());

    assertThat(chat.statusCode()).isEqualTo(400);
    JsonObject error = new JsonObject(chat.body()).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("unsupported_endpoint");
    assertThat(error.getString("message")).contains(demo, "builtin engine", "embedding", "llama.cpp");
    assertThat(noQuery.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(noQuery.body()).getJsonObject("error").getString("param")).isEqualTo("query");
  }

  @Test
  void aTranscriptionFormPassesUnchangedAndIsMeteredWithTheEnginesUsage() throws Exception {
    String boundary = "gantry-" + Ids.random(10);
    byte[] audio = new byte[MIB + MIB / 2];  // above the management API's 1 MiB, as most recordings are
    for (int i = 0; i < audio.length; i++) {
      audio[i] = (byte) (i * 31);
    }
    byte[] form = TestMediaAnswers.form(boundary, media, audio);
    String requestId = "stt-" + Ids.random(8);

    HttpResponse<String> response = multipart("/v1/audio/transcriptions", boundary, form, requestId);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject received = new JsonObject(response.body()).getJsonObject("received");
    assertThat(received.getString("path")).isEqualTo("/v1/audio/transcriptions");
    assertThat(received.getString("content_type")).isEqualTo("multipart/form-data; boundary=" + boundary);
    assertThat(received.getInteger("length")).isEqualTo(form.length);
    assertThat(received.getString("sha256")).isEqualTo(TestMediaAnswers.sha256(Buffer.buffer(form)));
    JsonObject row = gantry.usageRowOfRequest(requestId);
    assertThat(row.getString("operation")).isEqualTo("audio.transcriptions");
    assertThat(row.getInteger("prompt_tokens")).isEqualTo(11);
    assertThat(row.getInteger("completion_tokens")).isEqualTo(4);
  }

  @Test
  void theOpenAiSdkTranscribesThroughTheGateway() {
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gantry.baseUrl()).apiKey(key).maxRetries(0).build();

    TranscriptionCreateResponse response = client.audio().transcriptions().create(TranscriptionCreateParams.builder()
        .model(media).file(new byte[] {1, 2, 3, 4}).build());

    assertThat(response.asTranscription().text()).startsWith("heard ");
  }

  @Test
  void translationsAndImageEditsAreFormsTooEachUnderItsOwnOperation() throws Exception {
    String boundary = "gantry-" + Ids.random(10);
    byte[] form = TestMediaAnswers.form(boundary, media, new byte[] {0, (byte) 0xff, 13, 10, 45, 45});
    String translationId = "tr-" + Ids.random(8);
    String editId = "edit-" + Ids.random(8);

    HttpResponse<String> translation = multipart("/v1/audio/translations", boundary, form, translationId);
    HttpResponse<String> edit = multipart("/v1/images/edits", boundary, form, editId);

    assertThat(translation.statusCode()).as(translation.body()).isEqualTo(200);
    assertThat(edit.statusCode()).as(edit.body()).isEqualTo(200);
    String sha = TestMediaAnswers.sha256(Buffer.buffer(form));
    assertThat(new JsonObject(translation.body()).getJsonObject("received").getString("sha256")).isEqualTo(sha);
    assertThat(new JsonObject(edit.body()).getJsonObject("received").getString("path")).isEqualTo("/v1/images/edits");
    assertThat(new JsonObject(edit.body()).getJsonObject("received").getString("sha256")).isEqualTo(sha);
    assertThat(gantry.usageRowOfRequest(translationId).getString("operation")).isEqualTo("audio.translations");
    JsonObject editRow = gantry.usageRowOfRequest(editId);
    assertThat(editRow.getString("operation")).isEqualTo("images.edits");
    assertThat(editRow.getInteger("completion_tokens")).isEqualTo(16);
  }

  @Test
  void speechAndImagesPassThroughToAModelThatDeclaresThem() throws Exception {
    String imageId = "img-" + Ids.random(8);
    String speechId = "tts-" + Ids.random(8);
    HttpResponse<byte[]> speech = HTTP.send(json("/v1/audio/speech", new JsonObject().put("model", media)
        .put("input", "Hello").put("voice", "alloy"), speechId), HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> image = HTTP.send(json("/v1/images/generations", new JsonObject().put("model", media)
        .put("prompt", "a cat"), imageId), HttpResponse.BodyHandlers.ofByteArray());

    assertThat(speech.statusCode()).isEqualTo(200);
    assertThat(speech.headers().firstValue("Content-Type")).contains("audio/mpeg");
    assertThat(speech.body()).isEqualTo(TestMediaAnswers.SPEECH);
    assertThat(image.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(Buffer.buffer(image.body())).getJsonArray("data")).hasSize(1);
    JsonObject row = gantry.usageRowOfRequest(imageId);
    assertThat(row.getString("operation")).isEqualTo("images.generations");
    assertThat(row.getInteger("prompt_tokens")).isEqualTo(5);
    assertThat(row.getInteger("completion_tokens")).isEqualTo(16);
    JsonObject speechRow = gantry.usageRowOfRequest(speechId);
    assertThat(speechRow.getString("operation")).isEqualTo("audio.speech");
    assertThat(speechRow.getInteger("status")).isEqualTo(200);
    assertThat(speechRow.getInteger("prompt_tokens")).isZero();
  }

  @Test
  void modelsThatDoNotDeclareAnOperationAndBadFormsAreRefused() throws Exception {
    String boundary = "b-" + Ids.random(8);
    HttpResponse<String> undeclared = multipart("/v1/audio/transcriptions", boundary,
        TestMediaAnswers.form(boundary, plain, new byte[8]), null);
    HttpResponse<String> builtin = gantry.call("POST", "/v1/images/generations", key,
        new JsonObject().put("model", demo).put("prompt", "a cat").encode());
    HttpResponse<String> noModel = multipart("/v1/audio/transcriptions", boundary,
        TestMediaAnswers.form(boundary, null, new byte[8]), null);
    HttpResponse<String> notAForm = gantry.call("POST", "/v1/audio/translations", key,
        new JsonObject().put("model", media).encode());
    HttpResponse<String> tooLarge = multipart("/v1/audio/transcriptions", boundary,
        TestMediaAnswers.form(boundary, media, new byte[INFERENCE_LIMIT_MIB * MIB + 1]), null);

    assertThat(undeclared.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(undeclared.body()).getJsonObject("error").getString("code")).isEqualTo("unsupported_endpoint");
    assertThat(undeclared.body()).contains(plain, "speech_to_text");
    assertThat(builtin.statusCode()).isEqualTo(400);
    assertThat(builtin.body()).contains("unsupported_endpoint", "builtin engine", "image");
    assertThat(noModel.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(noModel.body()).getJsonObject("error").getString("param")).isEqualTo("model");
    assertThat(notAForm.statusCode()).isEqualTo(400);
    assertThat(notAForm.body()).contains("multipart/form-data");
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.body()).contains("request_too_large", "limit of " + INFERENCE_LIMIT_MIB + " MiB");
    assertThat(gantry.usageRows(plain, 1)).filteredOn(row -> row.getString("operation").startsWith("audio."))
        .singleElement().satisfies(row -> {
          assertThat(row.getString("operation")).isEqualTo("audio.transcriptions");
          assertThat(row.getInteger("status")).isEqualTo(400);
        });
  }

  @Test
  void anInferenceBodyOverTheManagementLimitIsServedForAKeyAndRefusedToEveryoneElse() throws Exception {
    String requestId = "big-" + Ids.random(8);
    String image = "data:image/png;base64," + "A".repeat(MIB + MIB / 2);
    String chat = new JsonObject().put("model", plain).put("messages", new JsonArray().add(new JsonObject()
        .put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "What is in this picture?"))
            .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", image))))))
        .encode();
    String overLimit = new JsonObject().put("model", plain).put("prompt", "x".repeat(INFERENCE_LIMIT_MIB * MIB)).encode();

    HttpResponse<String> served = gantry.call("POST", "/v1/chat/completions", key, chat, "X-Request-Id", requestId);
    HttpResponse<String> noKey = gantry.call("POST", "/v1/chat/completions", null, chat);
    HttpResponse<String> wrongKey = gantry.call("POST", "/v1/chat/completions", "gt-not-a-key", chat);
    HttpResponse<String> tooLarge = gantry.call("POST", "/v1/completions", key, overLimit);
    var management = gantry.admin.post("/v2/models", new JsonObject().put("name", "big-" + Ids.random(6))
        .put("backend", "custom").put("description", "d".repeat(MIB + MIB / 2)));

    assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
    assertThat(served.body()).contains(TestEngine.REPLY);
    assertThat(gantry.usageRowOfRequest(requestId).getInteger("prompt_tokens")).as("the engine answered it")
        .isEqualTo(TestEngine.PROMPT_TOKENS);
    for (HttpResponse<String> refused : List.of(noKey, wrongKey)) {
      assertThat(refused.statusCode()).as("nobody without a key makes the node read more than 1 MiB").isEqualTo(413);
      assertThat(new JsonObject(refused.body()).getJsonObject("error").getString("message"))
          .contains("limit of 1 MiB for callers without a valid API key", "up to " + INFERENCE_LIMIT_MIB + " MiB");
    }
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(new JsonObject(tooLarge.body()).getJsonObject("error").getString("message"))
        .isEqualTo("request body is larger than the limit of " + INFERENCE_LIMIT_MIB + " MiB");
    assertThat(management.status()).as("the management API keeps its own limit, even for an admin").isEqualTo(413);
    assertThat(management.body()).contains("limit of 1 MiB").doesNotContain("API key");
    assertThat(gantry.admin.get("/v2/models").body()).as("nothing half-written").doesNotContain("\"big-");
  }

  private static HttpResponse<String> multipart(String path, String boundary, byte[] form, String requestId) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gantry.nodes.url(1) + path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(form))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("Authorization", "Bearer " + key);
    if (requestId != null) {
      request.header("X-Request-Id", requestId);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest json(String path, JsonObject body, String requestId) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gantry.nodes.url(1) + path))
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + key);
    return (requestId == null ? request : request.header("X-Request-Id", requestId)).build();
  }
}
