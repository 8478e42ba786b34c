package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestNodes;
import dev.gantry.testing.fuzz.RawHttp;
import dev.gantry.testing.fuzz.RawHttp.Answer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** One regression check for each bug {@link SchemaFuzzTest} found: each was a 500, a hang or a mangled write. */
@DisplayName("What the fuzzer found stays fixed")
class FuzzFindingsTest {

  private static TestNodes nodes;
  private static Api admin;

  @BeforeAll
  static void startNode() {
    nodes = TestNodes.start(1);
    admin = nodes.admin(1);
  }

  @AfterAll
  static void stopNode() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  @DisplayName("a broken %-escape in a path parameter is a 400 in the error shape, not a 500")
  void brokenEscapeInPath() throws IOException {
    Answer answer = raw("GET", "/v2/users/%zz", null, null);

    assertError(answer, 400, "%25");
  }

  @Test
  @DisplayName("a broken %-escape in a query parameter is a 400 in the error shape, not a 500")
  void brokenEscapeInQuery() throws IOException {
    Answer answer = raw("GET", "/v2/models?search=%zz", null, null);

    assertError(answer, 400, "%25");
  }

  @Test
  @DisplayName("a URL over the request-line limit is a 414 in the error shape, not a bare status")
  void overlongUrl() throws IOException {
    Answer answer = raw("GET", "/v2/users/" + "a".repeat(10_000), null, null);

    assertError(answer, 414, "too long");
  }

  @Test
  @DisplayName("a page far past the end is an empty page, not an int overflow")
  void pagePastTwoToTheThirtyOne() {
    JsonObject page = Api.expect(admin.get("/v2/users?page=2147483647&perPage=1000"), 200);

    assertThat(page.getJsonArray("items")).isEmpty();
    assertThat(page.getJsonObject("pagination").getInteger("page")).isEqualTo(2147483647);
  }

  @Test
  @DisplayName("a model id past the range of a long is an unknown model (404), not a 500")
  void hugeModelId() {
    Api.Response response = admin.get("/v2/models/9223372036854775808");

    assertThat(response.status()).as(response.toString()).isEqualTo(404);
  }

  @Test
  @DisplayName("NUL in a text field is a 400 naming the field, and nothing is stored")
  void nulIsRefusedNamingTheField() throws IOException {
    Answer key = raw("POST", "/v2/api-keys", "application/json", "{\"name\":\"nul-key\",\"description\":\"a\\u0000b\"}");
    Answer labels = raw("PATCH", "/v2/nodes/" + nodes.name(1), "application/json", "{\"labels\":{\"zone\":\"\\u0000\"}}");
    Answer model = raw("POST", "/v2/models", "application/json",
        "{\"name\":\"nul-model\",\"local_path\":\"/models/a\\u0000.gguf\",\"backend\":\"llama.cpp\",\"replicas\":0}");

    assertError(key, 400, "field 'description'");
    assertError(labels, 400, "field 'labels.zone'");
    assertError(model, 400, "field 'local_path'");
    assertThat(admin.get("/v2/api-keys?search=nul-key").items()).isEmpty();
    assertThat(admin.get("/v2/models?search=nul-model").items()).isEmpty();
    assertThat(admin.get("/v2/nodes/" + nodes.name(1)).json().getJsonObject("labels").containsKey("zone")).isFalse();
  }

  @Test
  @DisplayName("an unpaired surrogate is a 400 naming the field instead of being stored as '?'")
  void unpairedSurrogateIsRefused() throws IOException {
    Answer user = raw("POST", "/v2/users", "application/json",
        "{\"username\":\"surrogate\",\"password\":\"long-enough-1\",\"full_name\":\"x\\ud800y\"}");

    assertError(user, 400, "field 'full_name'");
    assertThat(admin.get("/v2/users?search=surrogate").items()).isEmpty();
  }

  @Test
  @DisplayName("a bad tail on a placed instance's logs is a 400, not a request that never ends")
  void badLogsTail() throws IOException {
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", "tail-model").put("backend", "custom")
        .put("local_path", "/nonexistent/tail.bin").put("run_command", "sleep 600")
        .put("estimate_override_bytes", 1).put("replicas", 1)), 201);
    String[] id = new String[1];
    Eventually.await(Duration.ofSeconds(30), () -> {
      JsonObject instance = admin.get("/v2/model-instances?model_name=tail-model").items().getJsonObject(0);
      assertThat(instance.getString("node_name")).isNotNull();
      id[0] = instance.getString("id");
    });

    Answer answer = raw("GET", "/v2/model-instances/" + id[0] + "/logs?tail=abc", null, null);

    assertError(answer, 400, "tail");
    admin.delete("/v2/models/tail-model");
  }

  private static Answer raw(String method, String target, String contentType, String body) throws IOException {
    URI base = URI.create(admin.baseUrl());
    try (RawHttp http = new RawHttp(base.getHost(), base.getPort())) {
      Map<String, String> headers = Map.of("Cookie", admin.cookie(), "Origin", admin.baseUrl(),
          "Sec-Fetch-Site", "same-origin");
      return http.send(method, target, headers, contentType, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void assertError(Answer answer, int status, String mentioned) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.header("content-type")).startsWith("application/json");
    JsonObject error = new JsonObject(answer.body());
    assertThat(error.fieldNames()).containsExactlyInAnyOrder("code", "reason", "message");
    assertThat(error.getInteger("code")).isEqualTo(status);
    assertThat(error.getString("message")).contains(mentioned);
  }
}
