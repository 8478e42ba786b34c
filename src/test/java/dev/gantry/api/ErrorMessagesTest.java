package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Ids;
import dev.gantry.config.StartCommand;
import dev.gantry.testing.Api;
import dev.gantry.testing.Api.Response;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What a person reads when a request is wrong, through a real node: the rule a field broke, OpenAI's
 * error shape and codes under /v1, 404 for unknown paths and 405 with Allow for a wrong method.
 */
@DisplayName("error messages say what is allowed")
class ErrorMessagesTest {

  private static TestNodes nodes;
  private static Api admin;
  private static Api inference;

  @BeforeAll
  static void startNode() {
    nodes = TestNodes.start(1);
    admin = nodes.admin(1);
    inference = nodes.api(1).withKey(admin.createKey("errors-" + Ids.random(6), "inference").getString("value"));
  }

  @AfterAll
  static void stopNode() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void aModelNameWithASpaceIsRefusedNamingTheRule() {
    Response response = admin.post("/v2/models", new JsonObject().put("name", "my model").put("source", "builtin")
        .put("builtin_model", "all-minilm-l6-v2").put("replicas", 0));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().getString("message")).isEqualTo("invalid request: field 'name' must be 1 to 128"
        + " letters, digits, '.', '_', ':' or '-', starting with a letter or digit (no spaces or '/'); got 'my model'");
    assertThat(admin.get("/v2/models?search=my%20model").items()).isEmpty();
  }

  @Test
  void anUnknownBuiltinModelListsTheValidIds() {
    Response response = admin.post("/v2/models", new JsonObject().put("name", "b-" + Ids.random(6).toLowerCase())
        .put("source", "builtin").put("builtin_model", "bert"));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().getString("message"))
        .isEqualTo("invalid request: field 'builtin_model' must be one of: all-minilm-l6-v2, gantry-tiny-chat; got 'bert'");
  }

  @Test
  void perUnderscorePageIsHonouredLikePerPage() {
    String prefix = "pp-" + Ids.random(6).toLowerCase();
    for (int i = 0; i < 3; i++) {
      Api.expect(admin.post("/v2/models", new JsonObject().put("name", prefix + "-" + i).put("source", "builtin")
          .put("builtin_model", "all-minilm-l6-v2").put("replicas", 0)), 201);
    }

    JsonObject page = Api.expect(admin.get("/v2/models?search=" + prefix + "&per_page=2&sort_by=name"), 200);

    assertThat(page.getJsonArray("items")).hasSize(2);
    assertThat(page.getJsonObject("pagination").getInteger("perPage")).isEqualTo(2);
    assertThat(page.getJsonObject("pagination").getInteger("totalPage")).isEqualTo(2);
  }

  @Test
  void anUnknownV1PathIs404InOpenAiShape() {
    Response response = inference.post("/v1/nope", new JsonObject().put("model", "x"));

    assertThat(response.status()).isEqualTo(404);
    assertThat(openAi(response)).containsEntry("type", "not_found_error").containsEntry("code", "unknown_url")
        .containsKey("param");
    assertThat((String) openAi(response).get("message")).contains("POST /v1/nope");
  }

  @Test
  void unknownManagementAndAuthPathsAre404WhateverTheMethod() {
    for (String path : new String[] {"/v2/nothing-here", "/auth/nothing-here", "/v2"}) {
      for (String method : new String[] {"GET", "POST", "DELETE"}) {
        Response response = admin.send(method, path, method.equals("POST") ? "application/json" : null,
            method.equals("POST") ? "{}".getBytes(StandardCharsets.UTF_8) : null);
        assertThat(response.status()).as(method + " " + path).isEqualTo(404);
        assertThat(response.json().getString("reason")).isEqualTo("NotFound");
      }
    }
  }

  @Test
  void aWrongMethodOnAKnownPathIs405WithAllow() {
    Response getChat = inference.get("/v1/chat/completions");
    Response deleteChat = inference.delete("/v1/chat/completions");
    Response putModels = admin.send("PUT", "/v2/models", "application/json", "{}".getBytes(StandardCharsets.UTF_8));

    assertThat(getChat.status()).isEqualTo(405);
    assertThat(getChat.header("Allow")).contains("POST");
    assertThat(openAi(getChat)).containsEntry("code", "method_not_allowed").containsEntry("type", "invalid_request_error");
    assertThat(deleteChat.status()).isEqualTo(405);
    assertThat(deleteChat.header("Allow")).contains("POST");
    assertThat(putModels.status()).isEqualTo(405);
    assertThat(putModels.header("Allow")).contains("GET, POST");
    assertThat(putModels.json().getString("message")).contains("allowed: GET, POST");
  }

  @Test
  void aBadOrMissingKeyOnV1GetsOpenAiAuthenticationCodes() {
    Response bad = nodes.api(1).withKey("gt-nonsense").get("/v1/models");
    Response none = nodes.api(1).post("/v1/chat/completions", new JsonObject().put("model", "x"));

    assertThat(bad.status()).isEqualTo(401);
    assertThat(openAi(bad)).containsEntry("type", "authentication_error").containsEntry("code", "invalid_api_key");
    assertThat(none.status()).isEqualTo(401);
    assertThat(openAi(none)).containsEntry("type", "authentication_error").containsEntry("code", "missing_api_key");
  }

  @Test
  void aKeyWithoutInferenceScopeGetsAPermissionError() {
    Api management = nodes.api(1).withKey(admin.createKey("mgmt-" + Ids.random(6), "management").getString("value"));

    Response response = management.get("/v1/models");

    assertThat(response.status()).isEqualTo(403);
    assertThat(openAi(response)).containsEntry("type", "permission_error").containsEntry("code", "insufficient_scope");
  }

  @Test
  void anUnknownModelIsModelNotFoundWithItsParam() {
    Response response = inference.post("/v1/chat/completions", new JsonObject().put("model", "no-such-model")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))));

    assertThat(response.status()).isEqualTo(404);
    assertThat(openAi(response)).containsEntry("type", "not_found_error").containsEntry("code", "model_not_found")
        .containsEntry("param", "model");
  }

  @Test
  void badJsonAndMissingFieldsOnV1AreInvalidRequestErrorsWithCodes() {
    Response badJson = inference.send("POST", "/v1/chat/completions", "application/json",
        "{\"model\":".getBytes(StandardCharsets.UTF_8));
    Response noMessages = inference.post("/v1/chat/completions", new JsonObject().put("model", "no-such-model"));

    assertThat(badJson.status()).isEqualTo(400);
    assertThat(openAi(badJson)).containsEntry("type", "invalid_request_error").containsEntry("code", "invalid_json");
    assertThat(noMessages.status()).isEqualTo(400);
    assertThat(openAi(noMessages)).containsEntry("code", "missing_required_parameter").containsEntry("param", "messages");
  }

  @Test
  void chattingWithAnEmbeddingModelPointsToEmbeddingsWithoutEngineFlags() {
    String model = "emb-" + Ids.random(6).toLowerCase();
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", model).put("source", "builtin")
        .put("builtin_model", "all-minilm-l6-v2").put("replicas", 0)), 201);

    Response[] answer = new Response[1];
    Eventually.await(Duration.ofSeconds(10), () -> {
      answer[0] = inference.post("/v1/chat/completions", new JsonObject().put("model", model)
          .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))));
      assertThat(answer[0].status()).as("the gateway knows the model: %s", answer[0]).isNotEqualTo(404);
    });
    Response response = answer[0];

    assertThat(response.status()).isEqualTo(400);
    assertThat(openAi(response)).containsEntry("code", "unsupported_endpoint").containsEntry("param", "model");
    assertThat((String) openAi(response).get("message")).contains("model '" + model + "' serves embeddings only")
        .contains("POST /v1/embeddings").doesNotContain("--embeddings");
  }

  @Test
  void aBodyOverTheLimitOnV1IsRequestTooLarge() {
    int limit = Integer.parseInt(StartCommand.DEFAULT_MAX_INFERENCE_BODY_MIB) << 20;
    byte[] body = ("{\"model\":\"x\",\"input\":\"" + "a".repeat(limit) + "\"}").getBytes(StandardCharsets.UTF_8);

    Response response = inference.send("POST", "/v1/embeddings", "application/json", body);

    assertThat(response.status()).isEqualTo(413);
    assertThat(openAi(response)).containsEntry("type", "invalid_request_error").containsEntry("code", "request_too_large");
    assertThat((String) openAi(response).get("message")).contains("limit of " + StartCommand.DEFAULT_MAX_INFERENCE_BODY_MIB
        + " MiB");
  }

  @Test
  void theRelayHopAnswersErrorsInOpenAisShapeAsAnEngineWould() {
    Response response = inference.post("/internal/engines/some-instance/v1/chat/completions",
        new JsonObject().put("model", "x"));

    assertThat(response.status()).isEqualTo(403);
    assertThat(openAi(response)).containsEntry("type", "permission_error");
    assertThat((String) openAi(response).get("message")).contains("only the nodes of this cluster");
  }

  /** The {@code error} object of an OpenAI-shaped body, which must have exactly OpenAI's four fields. */
  private static Map<String, Object> openAi(Response response) {
    JsonObject body = response.json();
    assertThat(body.fieldNames()).as(response.toString()).containsExactly("error");
    assertThat(body.getJsonObject("error").fieldNames()).containsExactlyInAnyOrder("message", "type", "param", "code");
    return body.getJsonObject("error").getMap();
  }
}
