package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Ids;
import dev.gantry.testing.fuzz.BodyMutations;
import dev.gantry.testing.fuzz.TreeMutations;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway's own bodies fuzzed end to end: OpenAI chat and completions, Anthropic Messages and OpenAI
 * Responses, whole and streamed, with every value anywhere in a rich valid request (content blocks, images,
 * tools, tool results) replaced by each hostile value and every field and element left out
 * ({@link TreeMutations}), to a {@link TestEngine} replica (which takes any body, so every conversion runs
 * to the end); and a text-only chat to the bundled demo model on the builtin engine, whose own validation
 * then meets the mutations.
 * No answer may be a 5xx or leak a class name or stack trace; every refusal must be an error in the
 * endpoint's own shape with a message (OpenAI's {@code error.message}, Anthropic's
 * {@code type: error, error.type, error.message}).
 */
class GatewayFuzzTest {

  private static final List<String> LEAKS = List.of("Exception", "at dev.gantry", "dev.gantry.", "io.vertx",
      "java.lang", "java.util", "com.hazelcast", "\tat ", "Caused by");
  /** A 1x1 PNG. */
  private static final String PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

  static GatewayTestNode gantry;
  static String demo;
  static String rich;
  static String key;

  @BeforeAll
  static void deploy() {
    gantry = GatewayTestNode.start();
    demo = "fuzz-chat-" + Ids.random(6);
    gantry.deploy(new JsonObject().put("name", demo).put("source", "builtin").put("builtin_model", "gantry-tiny-chat"), 1);
    rich = "fuzz-rich-" + Ids.random(6);
    gantry.deployTestEngines(rich, 1);
    key = gantry.apiKey(true, "inference", null).getString("value");
  }

  @AfterAll
  static void stop() {
    if (gantry != null) {
      gantry.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"chat", "chat stream", "completions", "messages", "messages stream", "responses",
      "responses stream", "builtin chat", "builtin chat stream"})
  void noMutatedBodyGetsA5xxALeakOrAnErrorOutsideTheEndpointsShape(String endpoint) throws Exception {
    boolean stream = endpoint.endsWith(" stream");
    String kind = endpoint.replace(" stream", "");
    String path = switch (kind) {
      case "chat", "builtin chat" -> "/v1/chat/completions";
      case "completions" -> "/v1/completions";
      case "messages" -> "/v1/messages";
      default -> "/v1/responses";
    };
    JsonObject sample = sample(kind).put("stream", stream);
    HttpResponse<String> valid = gantry.call("POST", path, key, sample.encode());
    assertThat(valid.statusCode()).as("the sample itself is served: %s", valid.body()).isEqualTo(200);

    List<BodyMutations.Body> bodies = TreeMutations.of(sample);
    List<String> problems = new ArrayList<>();
    int refused = 0;
    for (BodyMutations.Body body : bodies) {
      HttpResponse<String> answer = gantry.call("POST", path, key, body.text());
      if (answer.statusCode() >= 400) {
        refused++;
      }
      problem(path, answer).ifPresent(p -> problems.add(body.label() + " -> " + answer.statusCode() + " " + p + ": "
          + abbreviated(answer.body())));
    }
    System.out.printf("fuzz %s: %d bodies, %d refused, %d problems%n", endpoint, bodies.size(), refused, problems.size());
    assertThat(problems).as("%d bodies, %d refused", bodies.size(), refused).isEmpty();
    assertThat(refused).as("the mutations reach the validation (of %d bodies)", bodies.size()).isPositive();
  }

  private static Optional<String> problem(String path, HttpResponse<String> answer) {
    if (answer.statusCode() >= 500) {
      return Optional.of("server error");
    }
    for (String leak : LEAKS) {
      if (answer.body().contains(leak)) {
        return Optional.of("body leaks '" + leak + "'");
      }
    }
    if (answer.statusCode() < 400) {
      return Optional.empty();
    }
    JsonObject body;
    try {
      body = new JsonObject(answer.body());
    } catch (RuntimeException e) {
      return Optional.of("error body is not a JSON object");
    }
    Object error = body.getValue("error");
    if (!(error instanceof JsonObject details) || !(details.getValue("message") instanceof String message)
        || message.isBlank()) {
      return Optional.of("no error.message");
    }
    if (path.equals("/v1/messages") && (!"error".equals(body.getValue("type"))
        || !(details.getValue("type") instanceof String))) {
      return Optional.of("not Anthropic's error shape");
    }
    return Optional.empty();
  }

  private static String abbreviated(String body) {
    return body.length() <= 300 ? body : body.substring(0, 300) + "…";
  }

  private static JsonObject sample(String kind) {
    JsonObject tool = new JsonObject().put("type", "object").put("properties", new JsonObject()
        .put("city", new JsonObject().put("type", "string"))).put("required", new JsonArray().add("city"));
    return switch (kind) {
      case "builtin chat" -> new JsonObject().put("model", demo).put("max_tokens", 8).put("temperature", 0.5)
          .put("top_p", 0.9).put("seed", 7).put("stop", new JsonArray().add("END"))
          .put("stream_options", new JsonObject().put("include_usage", true))
          .put("messages", new JsonArray()
              .add(new JsonObject().put("role", "system").put("content", "Be brief."))
              .add(new JsonObject().put("role", "user").put("content", new JsonArray()
                  .add(new JsonObject().put("type", "text").put("text", "Hello")))));
      case "chat" -> new JsonObject().put("model", rich).put("max_tokens", 8).put("temperature", 0.5)
          .put("stop", new JsonArray().add("END"))
          .put("stream_options", new JsonObject().put("include_usage", true))
          .put("messages", new JsonArray()
              .add(new JsonObject().put("role", "system").put("content", "Be brief."))
              .add(new JsonObject().put("role", "user").put("content", new JsonArray()
                  .add(new JsonObject().put("type", "text").put("text", "Weather?"))
                  .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject()
                      .put("url", "data:image/png;base64," + PIXEL)))))
              .add(new JsonObject().put("role", "assistant").put("content", (String) null).put("tool_calls", new JsonArray()
                  .add(new JsonObject().put("id", "call_1").put("type", "function").put("function", new JsonObject()
                      .put("name", "weather").put("arguments", "{\"city\":\"Oslo\"}")))))
              .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_1").put("content", "Sunny")))
          .put("tools", new JsonArray().add(new JsonObject().put("type", "function").put("function", new JsonObject()
              .put("name", "weather").put("description", "Weather of a city").put("parameters", tool))))
          .put("tool_choice", "auto");
      case "completions" -> new JsonObject().put("model", rich).put("prompt", "Once upon a time").put("max_tokens", 8)
          .put("temperature", 0.5).put("stop", new JsonArray().add("END"));
      case "messages" -> new JsonObject().put("model", rich).put("max_tokens", 8).put("temperature", 0.5)
          .put("system", new JsonArray().add(new JsonObject().put("type", "text").put("text", "Be brief.")))
          .put("stop_sequences", new JsonArray().add("END"))
          .put("metadata", new JsonObject().put("user_id", "fuzz"))
          .put("messages", new JsonArray()
              .add(new JsonObject().put("role", "user").put("content", new JsonArray()
                  .add(new JsonObject().put("type", "text").put("text", "Weather?"))
                  .add(new JsonObject().put("type", "image").put("source", new JsonObject().put("type", "base64")
                      .put("media_type", "image/png").put("data", PIXEL)))))
              .add(new JsonObject().put("role", "assistant").put("content", new JsonArray()
                  .add(new JsonObject().put("type", "tool_use").put("id", "toolu_1").put("name", "weather")
                      .put("input", new JsonObject().put("city", "Oslo")))))
              .add(new JsonObject().put("role", "user").put("content", new JsonArray()
                  .add(new JsonObject().put("type", "tool_result").put("tool_use_id", "toolu_1")
                      .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "Sunny")))))))
          .put("tools", new JsonArray().add(new JsonObject().put("name", "weather").put("description", "Weather of a city")
              .put("input_schema", tool)))
          .put("tool_choice", new JsonObject().put("type", "auto"));
      default -> new JsonObject().put("model", rich).put("max_output_tokens", 8).put("temperature", 0.5)
          .put("instructions", "Be brief.")
          .put("input", new JsonArray()
              .add(new JsonObject().put("role", "user").put("content", new JsonArray()
                  .add(new JsonObject().put("type", "input_text").put("text", "Weather?"))
                  .add(new JsonObject().put("type", "input_image").put("image_url", "data:image/png;base64," + PIXEL))))
              .add(new JsonObject().put("type", "function_call").put("call_id", "call_1").put("name", "weather")
                  .put("arguments", "{\"city\":\"Oslo\"}"))
              .add(new JsonObject().put("type", "function_call_output").put("call_id", "call_1").put("output", "Sunny")))
          .put("tools", new JsonArray().add(new JsonObject().put("type", "function").put("name", "weather")
              .put("description", "Weather of a city").put("parameters", tool)))
          .put("tool_choice", "auto");
    };
  }
}
