package dev.gantry.engine.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine in a real child JVM serving the bundled all-MiniLM-L6-v2, behind an API key. */
class BuiltinEngineEmbeddingsHttpTest {

  private static final String KEY = "test-key-" + UUID.randomUUID();
  private static final String MODEL = "minilm-" + UUID.randomUUID().toString().substring(0, 8);
  private static final String[] AUTH = {"Authorization", "Bearer " + KEY};
  private static final String FOX = "The quick brown fox jumps over the lazy dog.";

  private static ChildEngine engine;

  @BeforeAll
  static void startEngine() throws Exception {
    engine = ChildEngine.start("--model", "builtin:all-minilm-l6-v2", "--port", "0", "--model-name", MODEL,
        "--api-key", KEY, "--threads", "2").awaitReady(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stopEngine() throws InterruptedException {
    engine.close();
  }

  @Test
  void printsReadyLineAndAnswersHealth() throws Exception {
    HttpResponse<String> health = engine.get("/health");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(ChildEngine.json(health)).isEqualTo(new JsonObject().put("status", "ok"));
    assertThat(engine.stdout()).anyMatch(line -> line.startsWith("builtin engine ready [model: " + MODEL + ", format: onnx, url: http://127.0.0.1:"));
  }

  @Test
  void listsTheServedModel() throws Exception {
    JsonObject models = ChildEngine.json(engine.get("/v1/models", AUTH));

    assertThat(models.getString("object")).isEqualTo("list");
    JsonObject model = models.getJsonArray("data").getJsonObject(0);
    assertThat(model.getString("id")).isEqualTo(MODEL);
    assertThat(model.getString("object")).isEqualTo("model");
    assertThat(model.getInteger("max_model_len")).isEqualTo(128);
  }

  @Test
  void embedsOneStringInOpenAiShape() throws Exception {
    HttpResponse<String> response = engine.post("/v1/embeddings",
        new JsonObject().put("model", MODEL).put("input", FOX).encode(), AUTH);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = ChildEngine.json(response);
    assertThat(body.getString("object")).isEqualTo("list");
    assertThat(body.getString("model")).isEqualTo(MODEL);
    JsonObject item = body.getJsonArray("data").getJsonObject(0);
    assertThat(item.getString("object")).isEqualTo("embedding");
    assertThat(item.getInteger("index")).isZero();
    JsonArray vector = item.getJsonArray("embedding");
    assertThat(vector.size()).isEqualTo(384);
    assertThat(vector.getDouble(0)).isCloseTo(0.0439, within(1e-3));
    assertThat(vector.getDouble(1)).isCloseTo(0.0589, within(1e-3));
    assertThat(vector.getDouble(2)).isCloseTo(0.0482, within(1e-3));
    assertThat(body.getJsonObject("usage"))
        .isEqualTo(new JsonObject().put("prompt_tokens", 12).put("total_tokens", 12));
  }

  @Test
  void embedsAnArrayInInputOrderAndCountsAllTokens() throws Exception {
    JsonObject body = ChildEngine.json(engine.post("/v1/embeddings",
        new JsonObject().put("input", new JsonArray().add("hello world").add("hello")).encode(), AUTH));

    JsonArray data = body.getJsonArray("data");
    assertThat(data).hasSize(2);
    assertThat(data.getJsonObject(0).getInteger("index")).isZero();
    assertThat(data.getJsonObject(1).getInteger("index")).isEqualTo(1);
    assertThat(data.getJsonObject(0).getJsonArray("embedding"))
        .isNotEqualTo(data.getJsonObject(1).getJsonArray("embedding"));
    assertThat(body.getJsonObject("usage").getInteger("prompt_tokens")).isEqualTo(4 + 3);
    assertThat(body.getJsonObject("usage").getInteger("total_tokens")).isEqualTo(7);
  }

  @Test
  void encodesBase64AsLittleEndianFloatsLikeTheOpenAiSdkExpects() throws Exception {
    JsonObject request = new JsonObject().put("input", FOX);
    JsonArray floats = ChildEngine.json(engine.post("/v1/embeddings", request.encode(), AUTH))
        .getJsonArray("data").getJsonObject(0).getJsonArray("embedding");
    String base64 = ChildEngine.json(engine.post("/v1/embeddings", request.put("encoding_format", "base64").encode(), AUTH))
        .getJsonArray("data").getJsonObject(0).getString("embedding");

    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(bytes.remaining()).isEqualTo(384 * Float.BYTES);
    for (int i = 0; i < 384; i++) {
      assertThat(bytes.getFloat()).isEqualTo(floats.getFloat(i));
    }
  }

  @Test
  void rejectsBadInputWithA400ThatNamesTheField() throws Exception {
    assertBadField("{}", "input");
    assertBadField("{\"input\":[]}", "input");
    assertBadField("{\"input\":\"\"}", "input");
    assertBadField("{\"input\":[\"ok\",7]}", "input[1]");
    assertBadField("{\"input\":\"ok\",\"encoding_format\":\"hex\"}", "encoding_format");
    assertBadField("{\"input\":\"ok\",\"dimensions\":128}", "dimensions");

    HttpResponse<String> notJson = engine.post("/v1/embeddings", "{\"input\":", AUTH);
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(ChildEngine.json(notJson).getJsonObject("error").getString("code")).isEqualTo("invalid_json");
  }

  @Test
  void answers404ForAnotherModelName() throws Exception {
    HttpResponse<String> response = engine.post("/v1/embeddings", "{\"model\":\"gpt-4\",\"input\":\"x\"}", AUTH);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(ChildEngine.json(response).getJsonObject("error").getString("code")).isEqualTo("model_not_found");
  }

  @Test
  void refusesGenerationForAnEmbeddingModel() throws Exception {
    HttpResponse<String> response = engine.post("/v1/chat/completions",
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", AUTH);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonObject error = ChildEngine.json(response).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("unsupported_endpoint");
    assertThat(error.getString("message")).contains("model '" + MODEL + "' serves embeddings only")
        .contains("POST /v1/embeddings").doesNotContain("--embeddings");
  }

  @Test
  void requiresTheApiKeyOnV1ButNotOnHealth() throws Exception {
    HttpResponse<String> missing = engine.post("/v1/embeddings", "{\"input\":\"x\"}");
    HttpResponse<String> wrong = engine.get("/v1/models", "Authorization", "Bearer not-" + KEY);

    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(wrong.statusCode()).isEqualTo(401);
    JsonObject error = ChildEngine.json(missing).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("invalid_api_key");
    assertThat(error.getString("type")).isEqualTo("authentication_error");
    assertThat(engine.get("/health").statusCode()).isEqualTo(200);
  }

  private static void assertBadField(String body, String field) throws Exception {
    HttpResponse<String> response = engine.post("/v1/embeddings", body, AUTH);

    assertThat(response.statusCode()).as(body).isEqualTo(400);
    JsonObject error = ChildEngine.json(response).getJsonObject("error");
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
    assertThat(error.getString("param")).as(body).isEqualTo(field);
    assertThat(error.getString("message")).as(body).startsWith(field + " ");
  }
}
