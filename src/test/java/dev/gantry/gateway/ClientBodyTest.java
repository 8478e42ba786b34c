package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ClientBodyTest {

  private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";

  @Test
  void asksTheEngineForTheStreamsUsageWithoutATreeWhenTheBodyHasNoStreamOptions() {
    String sent = " \n{\"model\":\"qwen\"," + MESSAGES + ",\"stream\":true,\"temperature\":0.5}";
    Buffer upstream = scanned(sent).withUsageRequested();

    assertThat(upstream.toString()).isEqualTo(" \n{\"stream_options\":{\"include_usage\":true},\"model\":\"qwen\","
        + MESSAGES + ",\"stream\":true,\"temperature\":0.5}");
    assertThat(new JsonObject(upstream).getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
  }

  @Test
  void sendsABodyThatAlreadyAsksForUsageAsItCame() {
    Buffer raw = Buffer.buffer("{\"model\":\"qwen\"," + MESSAGES + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");

    assertThat(ClientBody.scanned(raw, RequestFacts.scan(Operation.CHAT, raw)).withUsageRequested()).isSameAs(raw);
  }

  @Test
  void rewritesOtherStreamOptionsFromTheTreeKeepingWhatTheyHold() {
    JsonObject fromOptions = new JsonObject(scanned("{\"model\":\"qwen\"," + MESSAGES
        + ",\"stream\":true,\"stream_options\":{\"include_usage\":false,\"x\":1}}").withUsageRequested());
    JsonObject fromNull = new JsonObject(scanned("{\"model\":\"qwen\"," + MESSAGES
        + ",\"stream\":true,\"stream_options\":null}").withUsageRequested());
    JsonObject afterComment = new JsonObject(scanned("/* {x} */ {\"model\":\"qwen\"," + MESSAGES
        + ",\"stream\":true}").withUsageRequested());

    assertThat(fromOptions.getJsonObject("stream_options")).isEqualTo(new JsonObject().put("include_usage", true).put("x", 1));
    assertThat(fromNull.getJsonObject("stream_options")).isEqualTo(new JsonObject().put("include_usage", true));
    assertThat(afterComment.getJsonObject("stream_options")).isEqualTo(new JsonObject().put("include_usage", true));
    assertThat(afterComment.getString("model")).isEqualTo("qwen");
  }

  private static ClientBody scanned(String body) {
    Buffer raw = Buffer.buffer(body);
    RequestFacts facts = RequestFacts.scan(Operation.CHAT, raw);
    assertThat(facts).as("a valid chat body: %s", body).isNotNull();
    return ClientBody.scanned(raw, facts);
  }
}
