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
  void aPatternIsNamedInWordsWithTheValueSent() {
    assertThat(failure("ModelCreate", "{\"name\":\"my model\"}").getMessage())
        .isEqualTo("invalid request: field 'name' must be 1 to 128 letters, digits, '.', '_', ':' or '-', starting with a"
            + " letter or digit (no spaces or '/'); got 'my model'");
  }

  @Test
  void anEnumListsTheAllowedValues() {
    assertThat(failure("ModelCreate", "{\"name\":\"m\",\"builtin_model\":\"bert\"}").getMessage())
        .isEqualTo("invalid request: field 'builtin_model' must be one of: all-minilm-l6-v2, gantry-tiny-chat; got 'bert'");
    assertThat(failure("ModelCreate", "{\"name\":\"m\",\"categories\":[\"llm\",\"chat\"]}").getMessage())
        .isEqualTo("invalid request: field 'categories.1' must be one of: llm, embedding, reranker, image,"
            + " speech_to_text, text_to_speech; got 'chat'");
  }

  @Test
  void aWrongTypeSaysWhatWasExpectedAndWhatCame() {
    assertThat(failure("ModelCreate", "{\"name\":\"m\",\"replicas\":\"2\"}").getMessage())
        .isEqualTo("invalid request: field 'replicas' expected an integer, got a string");
    assertThat(failure("ApiKeyCreate", "{\"name\":\"k\",\"expires_in\":true}").getMessage())
        .isEqualTo("invalid request: field 'expires_in' expected an integer or null, got a boolean");
    assertThat(failure("ModelCreate", "{\"name\":\"m\",\"env\":{\"A\":5}}").getMessage())
        .isEqualTo("invalid request: field 'env.A' expected a string, got an integer");
  }

  @Test
  void limitsAreNamed() {
    assertThat(failure("ModelCreate", "{\"name\":\"m\",\"replicas\":5000}").getMessage())
        .isEqualTo("invalid request: field 'replicas' must be between 0 and 1000; got 5000");
    assertThat(failure("ApiKeyCreate", "{\"name\":\"k\",\"expires_in\":0}").getMessage())
        .isEqualTo("invalid request: field 'expires_in' must be between 1 and 315360000; got 0");
    assertThat(failure("UserCreate", "{\"username\":\"bob\",\"password\":\"short\"}").getMessage())
        .isEqualTo("invalid request: field 'password' must be 8 to 1024 characters long; got 5");
    assertThat(failure("ApiKeyCreate", "{\"name\":\"\"}").getMessage())
        .isEqualTo("invalid request: field 'name' must be 1 to 128 characters long; got 0");
  }

  @Test
  void requiredFieldsAreListed() {
    assertThat(failure("UserCreate", "{\"username\":\"bob\"}").getMessage())
        .isEqualTo("invalid request: missing required field 'password' (required: username, password)");
    assertThat(failure("NodeUpdate", "{}").getMessage())
        .isEqualTo("invalid request: body must have at least 1 of the fields labels, maintenance, drain");
  }

  @Test
  void aLongValueIsCutShort() {
    String name = "x ".repeat(100);
    assertThat(failure("ModelCreate", "{\"name\":\"" + name + "\"}").getMessage())
        .endsWith("got '" + name.substring(0, 60) + "…' (200 characters)");
  }

  @Test
  void failsLoudlyForASchemaTheDescriptionDoesNotHave() {
    assertThatThrownBy(() -> validator.check(Buffer.buffer("{}"), "Nope")).isInstanceOf(IllegalStateException.class);
  }
}
