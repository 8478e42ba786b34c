package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The served description covers the OpenAI-compatible gateway too, and its /v1 request schemas accept
 * what OpenAI clients send (many optional fields the gateway passes on), so validating against them
 * could never refuse a request the gateway serves.
 */
class OpenApiDocumentTest {

  private static JsonObject doc;
  private static RequestValidator validator;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/openapi.json")) {
      doc = new JsonObject(Buffer.buffer(in.readAllBytes()));
    }
    validator = new RequestValidator(doc);
  }

  @Test
  void describesEveryGatewayOperationWithItsShapesAndErrors() {
    JsonObject paths = doc.getJsonObject("paths");
    assertThat(paths.fieldNames()).contains("/v1/models", "/v1/chat/completions", "/v1/completions", "/v1/embeddings");
    JsonObject chat = paths.getJsonObject("/v1/chat/completions").getJsonObject("post");
    assertThat(chat.getJsonArray("security")).contains(new JsonObject().put("apiKey", new JsonArray()));
    assertThat(ref(chat.getJsonObject("requestBody").getJsonObject("content").getJsonObject("application/json")))
        .isEqualTo("ChatCompletionRequest");
    JsonObject ok = chat.getJsonObject("responses").getJsonObject("200").getJsonObject("content");
    assertThat(ok.fieldNames()).containsExactlyInAnyOrder("application/json", "text/event-stream");
    for (String status : new String[] {"400", "401", "403", "404", "413", "502", "503"}) {
      assertThat(ref(chat.getJsonObject("responses").getJsonObject(status).getJsonObject("content")
          .getJsonObject("application/json"))).as(status).isEqualTo("OpenAiError");
    }
    assertThat(doc.getJsonObject("components").getJsonObject("securitySchemes").getJsonObject("apiKey")
        .getString("scheme")).isEqualTo("bearer");
  }

  @Test
  void openAiRequestsWithOptionalFieldsPassTheV1Schemas() {
    validator.check(Buffer.buffer(new JsonObject().put("model", "qwen").put("stream", true)
        .put("stream_options", new JsonObject().put("include_usage", true)).put("temperature", 0.2).put("top_p", 1)
        .put("max_tokens", 16).put("logit_bias", new JsonObject().put("50256", -100)).put("logprobs", true)
        .put("tools", new JsonArray().add(new JsonObject().put("type", "function")))
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "system").put("content", "Be brief"))
            .add(new JsonObject().put("role", "user").put("content", new JsonArray()
                .add(new JsonObject().put("type", "text").put("text", "hi"))))
            .add(new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", new JsonArray())))
        .encode()), "ChatCompletionRequest");
    validator.check(Buffer.buffer("{\"model\":\"m\",\"prompt\":[\"a\",\"b\"],\"best_of\":2,\"echo\":false}"),
        "CompletionRequest");
    validator.check(Buffer.buffer("{\"model\":\"m\",\"input\":[[1,2],[3]],\"encoding_format\":\"base64\"}"),
        "EmbeddingRequest");
  }

  private static String ref(JsonObject media) {
    return media.getJsonObject("schema").getString("$ref").replace("#/components/schemas/", "");
  }
}
