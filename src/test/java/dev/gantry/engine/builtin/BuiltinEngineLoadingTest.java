package dev.gantry.engine.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The HTTP API while the model is still loading, and the errors that need no model at all. */
@ExtendWith(VertxExtension.class)
class BuiltinEngineLoadingTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private String baseUrl;

  @BeforeEach
  void deployWithoutAModel(Vertx vertx) {
    EngineConfig config = new EngineConfig("builtin:all-minilm-l6-v2", "127.0.0.1", 0, "loading-model", 0, 0, null,
        false, false, 0);
    BuiltinEngineVerticle verticle = new BuiltinEngineVerticle(config, () -> null);
    vertx.deployVerticle(verticle).await();
    baseUrl = "http://127.0.0.1:" + verticle.actualPort();
  }

  @Test
  void answers503OnHealthUntilTheModelIsLoaded() throws Exception {
    HttpResponse<String> health = get("/health");

    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(health.body())).isEqualTo(new JsonObject().put("status", "loading"));
  }

  @Test
  void answers503InOpenAiShapeForInferenceWhileLoading() throws Exception {
    for (String path : new String[] {"/v1/embeddings", "/v1/chat/completions", "/v1/completions"}) {
      HttpResponse<String> response = post(path, "{\"input\":\"x\",\"prompt\":\"x\",\"messages\":[]}");

      assertThat(response.statusCode()).as(path).isEqualTo(503);
      assertThat(new JsonObject(response.body()).getJsonObject("error").getString("code")).isEqualTo("model_loading");
    }
  }

  @Test
  void listsTheModelNameWhileLoading() throws Exception {
    JsonObject models = new JsonObject(get("/v1/models").body());

    assertThat(models.getJsonArray("data").getJsonObject(0).getString("id")).isEqualTo("loading-model");
  }

  @Test
  void answersUnknownPathsWithAnOpenAi404() throws Exception {
    HttpResponse<String> response = get("/v1/rerank");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(response.body()).getJsonObject("error").getString("message")).isEqualTo("no route for /v1/rerank");
  }

  @Test
  void refusesBodiesOver32MiB() throws Exception {
    HttpResponse<String> response = post("/v1/embeddings", "\"" + "x".repeat(33 << 20) + "\"");

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(new JsonObject(response.body()).getJsonObject("error").getString("code")).isEqualTo("body_too_large");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
