package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** A route target's model written into the client's bytes, and the bodies left to the JSON parser. */
class TopLevelFieldTest {

  private static String renamed(String json, String model) {
    Buffer out = TopLevelField.withString(Buffer.buffer(json), "model", model);
    return out == null ? null : out.toString();
  }

  @Test
  void onlyTheTopLevelModelChangesAndEveryOtherByteStays() {
    String body = "{ \"messages\": [{\"role\":\"user\",\"content\":\"say \\\"model\\\": x\",\"model\":\"inner\"}],\n"
        + "  \"tools\": [{\"function\":{\"parameters\":{\"model\":{\"type\":\"string\"}}}}],\n"
        + "  \"model\" :  \"my-route\", \"max_tokens\": 16 }";
    String out = renamed(body, "llama-3");

    assertThat(out).isEqualTo(body.replace("\"my-route\"", "\"llama-3\""));
    assertThat(new JsonObject(out).getString("model")).isEqualTo("llama-3");
    assertThat(new JsonObject(out).getJsonArray("messages").getJsonObject(0).getString("model")).isEqualTo("inner");
  }

  @Test
  void theNewNameIsEscapedAsJson() {
    String out = renamed("{\"model\":\"r\"}", "a\"b\\c");

    assertThat(new JsonObject(out).getString("model")).isEqualTo("a\"b\\c");
    assertThat(new JsonObject(renamed("{\"model\":\"r\"}", "modèle\n\u0001")).getString("model")).isEqualTo("modèle\n\u0001");
    assertThat(renamed("{\"model\":\"r\"}", "qwen2.5-7b:Q4_K_M")).isEqualTo("{\"model\":\"qwen2.5-7b:Q4_K_M\"}");
  }

  @Test
  void bodiesThatCouldNameTheModelTwiceOrNotAsAStringAreLeftToTheParser() {
    assertThat(renamed("{\"model\":\"a\",\"model\":\"b\"}", "x")).as("a repeated key").isNull();
    assertThat(renamed("{\"mo\\u0064el\":\"a\",\"model\":\"b\"}", "x")).as("an escaped key").isNull();
    assertThat(renamed("{\"model\":7}", "x")).as("not a string").isNull();
    assertThat(renamed("{\"messages\":[{\"model\":\"a\"}]}", "x")).as("only nested").isNull();
    assertThat(renamed("{\"model\":\"unterminated}", "x")).isNull();
  }
}
