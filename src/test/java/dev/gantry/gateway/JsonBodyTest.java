package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Request bodies decode from their byte array exactly as Vert.x's own decoding would. */
class JsonBodyTest {

  @Test
  void decodesTheSameTreeAsVertx() {
    for (String json : List.of("{\"model\":\"m\",\"stream\":true,\"max_tokens\":12,\"temperature\":0.5,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"h\\u00e9 \\\"quoted\\\" 日本\"}],\"stop\":null}",
        "[1, 2.5, \"x\", false]", "\"text\"", "42", "{/* a comment */ \"a\": 1}")) {
      Buffer raw = Buffer.buffer(json);
      assertThat(JsonBody.parse(raw)).as(json).isEqualTo(raw.toJsonValue());
    }
    Object parsed = JsonBody.parse(Buffer.buffer("{\"a\":{\"b\":[1]}}"));
    assertThat(parsed).isInstanceOf(JsonObject.class);
    assertThat(((JsonObject) parsed).getJsonObject("a").getValue("b")).isInstanceOf(JsonArray.class);
  }

  @Test
  void readsOnlyTheBuffersOwnBytesOfASlice() {
    Buffer whole = Buffer.buffer("xxxx{\"model\":\"sliced\"}yyyy");

    Object parsed = JsonBody.parse(whole.slice(4, whole.length() - 4));

    assertThat(parsed).isEqualTo(new JsonObject().put("model", "sliced"));
  }

  @Test
  void badJsonIsADecodeException() {
    assertThatThrownBy(() -> JsonBody.parse(Buffer.buffer("{\"model\": "))).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> JsonBody.parse(Buffer.buffer("{\"a\":1} {\"b\":2}"))).isInstanceOf(DecodeException.class)
        .hasMessageContaining("trailing");
    assertThatThrownBy(() -> JsonBody.parse(Buffer.buffer("{'a': 1}"))).isInstanceOf(DecodeException.class);
  }
}
