package dev.gantry.engine.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Chat and text completions from a GGUF model in a child JVM: a random model written by the test-model
 * generator (128 wide, 2 layers, 8,000 words), or the file the system property {@code gantry.test.gguf} names
 * (e.g. {@code mvn test -Dgantry.test.gguf=/tmp/qwen2.5-0.5b-instruct-q4_k_m.gguf}) to run the same checks on a
 * published model.
 */
class BuiltinEngineGgufHttpTest {

  private static final String MODEL = "tiny-gguf";
  private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]";

  private static ChildEngine engine;
  /** The model this class wrote (10 MB), deleted after; null when {@code gantry.test.gguf} named one. */
  private static Path written;

  @BeforeAll
  static void startEngine() throws Exception {
    String named = System.getProperty("gantry.test.gguf", "");
    if (named.isBlank()) {
      written = dev.gantry.testmodels.TestModels.random(Files.createTempFile("gantry-gguf-http", ".gguf"), 128, 2);
    }
    Path gguf = named.isBlank() ? written : Path.of(named);
    assertThat(gguf).as("gantry.test.gguf must name a GGUF file").isRegularFile();
    engine = ChildEngine.start("--model", gguf.toString(), "--port", "0", "--model-name", MODEL, "--ctx-size", "512")
        .awaitReady(Duration.ofSeconds(120));
  }

  @AfterAll
  static void stopEngine() throws Exception {
    if (engine != null) {
      engine.close();
    }
    if (written != null) {
      Files.deleteIfExists(written);
    }
  }

  @Test
  void answersAChatCompletionWithUsage() throws Exception {
    HttpResponse<String> response = engine.post("/v1/chat/completions", "{" + HI + ",\"max_tokens\":16}");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = ChildEngine.json(response);
    assertThat(body.getString("object")).isEqualTo("chat.completion");
    assertThat(body.getString("model")).isEqualTo(MODEL);
    JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getJsonObject("message").getString("role")).isEqualTo("assistant");
    assertThat(choice.getJsonObject("message").getString("content")).isNotNull();
    assertThat(choice.getString("finish_reason")).isIn("stop", "length");
    JsonObject usage = body.getJsonObject("usage");
    assertThat(usage.getInteger("prompt_tokens")).isPositive();
    assertThat(usage.getInteger("completion_tokens")).isBetween(1, 16);
    assertThat(usage.getInteger("total_tokens"))
        .isEqualTo(usage.getInteger("prompt_tokens") + usage.getInteger("completion_tokens"));
  }

  @Test
  void stopsAtMaxTokensWithFinishReasonLength() throws Exception {
    JsonObject body = ChildEngine.json(engine.post("/v1/completions", "{\"prompt\":\"Once upon\",\"max_tokens\":1}"));

    JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
    assertThat(body.getJsonObject("usage").getInteger("completion_tokens")).isEqualTo(1);
    if (!choice.getString("text").isEmpty()) {
      assertThat(choice.getString("finish_reason")).isEqualTo("length");
    }
  }

  @Test
  void streamsTheSameGreedyTextInOpenAiFraming() throws Exception {
    String request = "{" + HI + ",\"max_tokens\":12,\"temperature\":0,\"seed\":7";
    JsonObject whole = ChildEngine.json(engine.post("/v1/chat/completions", request + "}"));
    HttpResponse<String> stream = engine.post("/v1/chat/completions",
        request + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");

    assertThat(stream.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
    List<String> events = events(stream.body());
    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    List<JsonObject> chunks = events.subList(0, events.size() - 1).stream().map(JsonObject::new).toList();
    JsonObject first = chunks.get(0);
    assertThat(first.getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("role")).isEqualTo("assistant");
    JsonObject usageChunk = chunks.get(chunks.size() - 1);
    assertThat(usageChunk.getJsonArray("choices")).isEmpty();
    assertThat(usageChunk.getJsonObject("usage")).isEqualTo(whole.getJsonObject("usage"));
    JsonObject finish = chunks.get(chunks.size() - 2).getJsonArray("choices").getJsonObject(0);
    assertThat(finish.getString("finish_reason"))
        .isEqualTo(whole.getJsonArray("choices").getJsonObject(0).getString("finish_reason"));
    StringBuilder text = new StringBuilder();
    for (JsonObject chunk : chunks.subList(0, chunks.size() - 2)) {
      JsonObject choice = chunk.getJsonArray("choices").getJsonObject(0);
      assertThat(choice.getValue("finish_reason")).isNull();
      text.append(choice.getJsonObject("delta").getString("content", ""));
    }
    assertThat(text.toString())
        .isEqualTo(whole.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"));
  }

  @Test
  void streamsTextCompletionsWithoutUsageUnlessAsked() throws Exception {
    List<String> events = events(engine.post("/v1/completions",
        "{\"prompt\":\"Once upon\",\"max_tokens\":4,\"stream\":true}").body());

    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    JsonObject last = new JsonObject(events.get(events.size() - 2));
    assertThat(last.getString("object")).isEqualTo("text_completion");
    assertThat(last.getJsonArray("choices").getJsonObject(0).getString("finish_reason")).isIn("stop", "length");
    assertThat(events).noneMatch(event -> event.contains("\"usage\""));
  }

  @Test
  void rejectsAMalformedMessageWithoutHurtingTheEngine() throws Exception {
    HttpResponse<String> response = engine.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\"}]}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(ChildEngine.json(response).getJsonObject("error").getString("param")).isEqualTo("messages[0].content");
    assertThat(engine.get("/health").statusCode()).isEqualTo(200);
  }

  /** The data of each SSE event; fails unless every event is exactly {@code data: ...} and a blank line. */
  private static List<String> events(String body) {
    assertThat(body).endsWith("\n\n");
    List<String> events = new ArrayList<>();
    for (String event : body.substring(0, body.length() - 2).split("\n\n", -1)) {
      assertThat(event).startsWith("data: ").doesNotContain("\n");
      events.add(event.substring("data: ".length()));
    }
    return events;
  }
}
