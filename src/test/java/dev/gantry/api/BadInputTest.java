package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Api.Response;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Bad input: a 4xx in the error shape naming the problem, never a 500")
class BadInputTest {

  private static final String JSON = "application/json";

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

  static Stream<Arguments> badRequests() {
    return Stream.of(
        Arguments.of("malformed JSON", "POST", "/v2/api-keys", JSON, "{\"name\": ", 400, "not valid JSON"),
        Arguments.of("a JSON array instead of an object", "POST", "/v2/api-keys", JSON, "[1,2]", 400, "JSON object"),
        Arguments.of("an empty body", "POST", "/v2/users", JSON, "", 400, "body is required"),
        Arguments.of("a number where a string belongs", "POST", "/v2/api-keys", JSON, "{\"name\": 5}", 400, "'name'"),
        Arguments.of("a string where a number belongs", "POST", "/v2/api-keys", JSON,
            "{\"name\": \"k\", \"expires_in\": \"soon\"}", 400, "'expires_in'"),
        Arguments.of("a negative expiry", "POST", "/v2/api-keys", JSON,
            "{\"name\": \"k\", \"expires_in\": -5}", 400, "'expires_in'"),
        Arguments.of("a scope that does not exist", "POST", "/v2/api-keys", JSON,
            "{\"name\": \"k\", \"scope\": \"root\"}", 400, "'scope'"),
        Arguments.of("an unknown field", "POST", "/v2/api-keys", JSON,
            "{\"name\": \"k\", \"colour\": \"red\"}", 400, "'colour'"),
        Arguments.of("a missing required field", "POST", "/v2/api-keys", JSON, "{\"description\": \"x\"}", 400,
            "missing required field 'name'"),
        Arguments.of("a missing password", "POST", "/v2/users", JSON, "{\"username\": \"nopass\"}", 400,
            "missing required field 'password'"),
        Arguments.of("a too short password", "POST", "/v2/users", JSON,
            "{\"username\": \"shorty\", \"password\": \"abc\"}", 400, "'password'"),
        Arguments.of("an invalid role", "PATCH", "/v2/users/me", JSON, "{\"role\": \"admin\"}", 400, "'role'"),
        Arguments.of("an empty update", "PATCH", "/v2/nodes/whatever", JSON, "{}", 400, "invalid request"),
        Arguments.of("a wrongly typed label", "PATCH", "/v2/nodes/whatever", JSON,
            "{\"labels\": {\"zone\": 7}}", 400, "'labels.zone'"),
        Arguments.of("a login form (only JSON signs in)", "POST", "/auth/login",
            "application/x-www-form-urlencoded", "username=admin", 415, "application/json"),
        Arguments.of("a JSON login with an unknown field", "POST", "/auth/login", JSON,
            "{\"username\": \"admin\", \"password\": \"x\", \"otp\": 1}", 400, "'otp'"),
        Arguments.of("a non-numeric user id", "GET", "/v2/users/abc", null, null, 404, "'abc'"),
        Arguments.of("an unknown user id", "GET", "/v2/users/987654321", null, null, 404, "987654321"),
        Arguments.of("an unknown node", "GET", "/v2/nodes/no-such-node", null, null, 404, "no-such-node"),
        Arguments.of("an unknown path under /v2", "GET", "/v2/no-such-resource", null, null, 404, "/v2/no-such-resource"),
        Arguments.of("an unknown path", "GET", "/no/such/page", null, null, 404, "/no/such/page"),
        Arguments.of("a wrong method on a list", "PUT", "/v2/nodes", JSON, "{}", 405, "PUT"),
        Arguments.of("a wrong method on health", "DELETE", "/health/live", null, null, 405, "DELETE"),
        Arguments.of("a non-numeric page", "GET", "/v2/users?page=first", null, null, 400, "page"));
  }

  @ParameterizedTest(name = "{0}: {1} {2} -> {5}")
  @MethodSource("badRequests")
  @DisplayName("each kind of bad request gets its status and a message naming the problem")
  void answersInTheErrorShape(String what, String method, String path, String contentType, String body, int status,
      String mentioned) {
    Response response = admin.send(method, path, contentType, body == null ? null : body.getBytes(StandardCharsets.UTF_8));

    assertErrorShape(response, status);
    assertThat(response.json().getString("message")).as(what).contains(mentioned);
  }

  @Test
  @DisplayName("a body over 1 MiB is refused with 413 in the error shape")
  void refusesOversizedBody() {
    char[] filler = new char[1024 * 1024 + 100];
    Arrays.fill(filler, 'x');
    String body = new JsonObject().put("name", "big").put("description", new String(filler)).encode();

    Response response = admin.send("POST", "/v2/api-keys", JSON, body.getBytes(StandardCharsets.UTF_8));

    assertErrorShape(response, 413);
    assertThat(response.json().getString("message")).isEqualTo("request body is larger than the limit of 1 MiB");
    assertThat(admin.get("/v2/api-keys?search=big").items()).as("nothing was created").isEmpty();
  }

  @Test
  @DisplayName("a body just under the limit is read and validated normally")
  void acceptsBodyUnderTheLimit() {
    char[] filler = new char[1024 * 1000];
    Arrays.fill(filler, 'x');
    String body = new JsonObject().put("name", "almost-big").put("description", new String(filler)).encode();

    Response response = admin.send("POST", "/v2/api-keys", JSON, body.getBytes(StandardCharsets.UTF_8));

    assertErrorShape(response, 400);
    assertThat(response.json().getString("message")).contains("'description'");
  }

  @Test
  @DisplayName("no bad request made a 500 on this node")
  void noServerErrors() {
    admin.send("POST", "/v2/users", JSON, "{\"username\": [\"x\"], \"password\": {}}".getBytes(StandardCharsets.UTF_8));
    admin.send("GET", "/v2/api-keys/%00", null, null);
    admin.send("POST", "/v2/users", "text/plain", "hello".getBytes(StandardCharsets.UTF_8));

    String metrics = admin.get("/metrics").body();

    assertThat(metrics.lines().filter(l -> l.startsWith("vertx_http_server_requests_total")))
        .isNotEmpty().noneMatch(l -> l.contains("code=\"5"));
  }

  private static void assertErrorShape(Response response, int status) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    JsonObject error = response.json();
    assertThat(error.fieldNames()).containsExactlyInAnyOrder("code", "reason", "message");
    assertThat(error.getInteger("code")).isEqualTo(status);
    assertThat(error.getString("reason")).isNotBlank();
    assertThat(error.getString("message")).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ")
        .doesNotContain("dev.gantry");
  }
}
