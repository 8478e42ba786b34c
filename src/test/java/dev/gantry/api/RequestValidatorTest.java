package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.common.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {

  private static RequestValidator validator;

  @BeforeAll
  static void loadServedDescription() throws IOException {
    try (InputStream in = RequestValidatorTest.class.getResourceAsStream("/openapi.json")) {
      validator = new RequestValidator(new JsonObject(Buffer.buffer(in.readAllBytes())));
    }
  }

  private static ApiException failure(String schema, String json) {
    try {
      validator.check(Buffer.buffer(json), schema);
    } catch (ApiException e) {
      return e;
    }
    throw new AssertionError("expected " + json + " to be rejected by " + schema);
  }

  @Test
  void acceptsAValidBody() {
    JsonObject body = validator.check(Buffer.buffer("{\"name\":\"ci\",\"scope\":\"inference\",\"expires_in\":3600}"), "ApiKeyCreate");
    assertThat(body.getString("name")).isEqualTo("ci");
  }

  @Test
  void namesTheFieldWithTheWrongType() {
    ApiException e = failure("ApiKeyCreate", "{\"name\":5}");
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.getMessage()).contains("'name'");
  }

  @Test
  void namesAnUnknownFieldAndListsTheAllowedOnes() {
    assertThat(failure("ApiKeyCreate", "{\"name\":\"x\",\"colour\":1}").getMessage())
        .contains("unknown field 'colour'").contains("allowed fields: name");
  }

  @Test
  void namesAMissingRequiredField() {
    assertThat(failure("Login", "{\"username\":\"admin\"}").getMessage()).contains("password");
  }

  @Test
  void rejectsValuesOutsideTheEnum() {
    assertThat(failure("ApiKeyCreate", "{\"name\":\"x\",\"scope\":\"root\"}").getMessage()).contains("'scope'");
  }

  @Test
  void rejectsMalformedJsonEmptyBodiesAndNonObjects() {
    assertThat(failure("Login", "{\"username\":").getMessage()).startsWith("request body is not valid JSON");
    assertThat(failure("Login", "").getMessage()).contains("request body is required");
    assertThat(failure("Login", "[1,2]").getMessage()).contains("must be a JSON object");
  }

  @Test
  void failsLoudlyForASchemaTheDescriptionDoesNotHave() {
    assertThatThrownBy(() -> validator.check(Buffer.buffer("{}"), "Nope")).isInstanceOf(IllegalStateException.class);
  }
}
