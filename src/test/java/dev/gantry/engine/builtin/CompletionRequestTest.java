package dev.gantry.engine.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Validation of completion requests: what is accepted, and the 400s that name the field. */
class CompletionRequestTest {

  private static final String MODEL = "tiny";

  @Test
  void readsAChatRequestWithOpenAiDefaults() {
    CompletionRequest request = chat("{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(request.messages()).isEqualTo(new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
    assertThat(request.temperature()).isEqualTo(1.0);
    assertThat(request.topP()).isEqualTo(1.0);
    assertThat(request.stop()).isEmpty();
    assertThat(request.stream()).isFalse();
    assertThat(request.includeUsage()).isFalse();
  }

  @Test
  void readsSamplingFieldsAndStreamOptions() {
    CompletionRequest request = CompletionRequest.parse(new JsonObject("{\"prompt\":\"Once\",\"max_tokens\":7,"
        + "\"temperature\":0,\"top_p\":0.5,\"stop\":[\"\\n\",\"END\"],\"seed\":42,\"stream\":true,"
        + "\"stream_options\":{\"include_usage\":true}}"), false, MODEL);

    assertThat(request.prompt()).isEqualTo("Once");
    assertThat(request.sampling(3, 100)).isEqualTo(new SamplingParams(7, 0f, 0.5f, List.of("\n", "END"), 42));
    assertThat(request.stream()).isTrue();
    assertThat(request.includeUsage()).isTrue();
  }

  @Test
  void fitsMaxTokensIntoTheContextLeft() {
    CompletionRequest bounded = chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":500}");
    CompletionRequest unbounded = chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(bounded.sampling(100, 512).maxTokens()).isEqualTo(412);
    assertThat(bounded.sampling(10, 4096).maxTokens()).isEqualTo(500);
    assertThat(unbounded.sampling(10, 4096).maxTokens()).isEqualTo(4086);
    OpenAiError full = catchThrowableOfType(() -> bounded.sampling(512, 512), OpenAiError.class);
    assertThat(full.getMessage()).isEqualTo("messages take 512 tokens, which leaves no room to generate in this model's"
        + " context of 512 tokens");
  }

  @Test
  void acceptsMaxCompletionTokensForChat() {
    CompletionRequest request = chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_completion_tokens\":9}");

    assertThat(request.sampling(1, 100).maxTokens()).isEqualTo(9);
  }

  @Test
  void flattensTextPartsAndMapsDeveloperToSystem() {
    CompletionRequest request = chat("{\"messages\":[{\"role\":\"developer\",\"content\":\"be brief\"},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]},"
        + "{\"role\":\"assistant\",\"content\":null}]}");

    assertThat(request.messages()).isEqualTo(new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", "be brief"))
        .add(new JsonObject().put("role", "user").put("content", "a\nb"))
        .add(new JsonObject().put("role", "assistant").put("content", "")));
  }

  @Test
  void rejectsBadFieldsByName() {
    assertBadChat("{}", "messages");
    assertBadChat("{\"messages\":[]}", "messages");
    assertBadChat("{\"messages\":[\"hi\"]}", "messages[0]");
    assertBadChat("{\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}", "messages[0].role");
    assertBadChat("{\"messages\":[{\"role\":\"user\"}]}", "messages[0].content");
    assertBadChat("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\"}]}]}", "messages[0].content");
    String hi = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    assertBadChat("{" + hi + ",\"max_tokens\":0}", "max_tokens");
    assertBadChat("{" + hi + ",\"max_tokens\":1.5}", "max_tokens");
    assertBadChat("{" + hi + ",\"temperature\":\"hot\"}", "temperature");
    assertBadChat("{" + hi + ",\"temperature\":3}", "temperature");
    assertBadChat("{" + hi + ",\"top_p\":1.5}", "top_p");
    assertBadChat("{" + hi + ",\"stop\":[1]}", "stop");
    assertBadChat("{" + hi + ",\"seed\":\"x\"}", "seed");
    assertBadChat("{" + hi + ",\"n\":2}", "n");
    assertBadChat("{" + hi + ",\"stream\":\"yes\"}", "stream");
    assertBadChat("{" + hi + ",\"stream_options\":true}", "stream_options");
    assertBadPrompt("{}", "prompt");
    assertBadPrompt("{\"prompt\":[\"a\",\"b\"]}", "prompt");
  }

  @Test
  void answers404ForAnotherModel() {
    OpenAiError error = catchThrowableOfType(
        () -> chat("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), OpenAiError.class);

    assertThat(error.status()).isEqualTo(404);
    assertThat(error.toJson().getJsonObject("error").getString("code")).isEqualTo("model_not_found");
  }

  private static CompletionRequest chat(String json) {
    return CompletionRequest.parse(new JsonObject(json), true, MODEL);
  }

  private static void assertBadChat(String json, String field) {
    assertBad(() -> chat(json), json, field);
  }

  private static void assertBadPrompt(String json, String field) {
    assertBad(() -> CompletionRequest.parse(new JsonObject(json), false, MODEL), json, field);
  }

  private static void assertBad(Runnable parse, String json, String field) {
    OpenAiError error = catchThrowableOfType(parse::run, OpenAiError.class);

    assertThat(error).as(json).isNotNull();
    assertThat(error.status()).isEqualTo(400);
    JsonObject body = error.toJson().getJsonObject("error");
    assertThat(body.getString("param")).as(json).isEqualTo(field);
    assertThat(body.getString("message")).as(json).startsWith(field + " ");
    assertThat(body.getString("type")).isEqualTo("invalid_request_error");
  }
}
