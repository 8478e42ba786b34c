package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.gantry.common.Ids;
import dev.gantry.testing.Api;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OpenAI requests to external providers in other shapes than JSON chat to an OpenAI endpoint. Chat
 * completions to an {@code anthropic} provider, through the official OpenAI SDK: converted to Anthropic
 * Messages for a stand-in that speaks Anthropic's wire format (it refuses a request without the provider's
 * {@code x-api-key} and an {@code anthropic-version}), and its answers (whole and streamed) turned back into
 * chat completions with their usage, which the usage record keeps. Multipart forms (audio) to an
 * {@code openai} provider's model and to a route over it: the form arrives intact, only its model renamed.
 */
class GatewayProviderProtocolsTest {

  private static final String CREDENTIAL = "k-claude-" + Ids.random(6);
  private static final String FORMS_CREDENTIAL = "k-forms-" + Ids.random(6);
  private static final Queue<JsonObject> forms = new ConcurrentLinkedQueue<>();
  private static GatewayTestNode gantry;
  private static Vertx vertx;
  private static HttpServer anthropic;
  private static final Queue<JsonObject> received = new ConcurrentLinkedQueue<>();
  private static String key;
  private static OpenAIClient client;

  @BeforeAll
  static void start() {
    gantry = GatewayTestNode.start();
    vertx = Vertx.vertx();
    anthropic = vertx.createHttpServer().requestHandler(GatewayProviderProtocolsTest::messages).listen(0, "127.0.0.1")
        .await();
    String base = "http://127.0.0.1:" + anthropic.actualPort();
    Api.expect(gantry.admin.post("/v2/providers", provider("claude", base, CREDENTIAL)), 201);
    Api.expect(gantry.admin.post("/v2/providers", provider("claude-badkey", base, "wrong-key")), 201);
    Api.expect(gantry.admin.post("/v2/providers", provider("forms", base + "/v1", FORMS_CREDENTIAL).put("kind", "openai")
        .put("models", new JsonArray().add("whisper-x"))), 201);
    Api.expect(gantry.admin.post("/v2/routes", new JsonObject().put("name", "transcribe").put("targets", new JsonArray()
        .add(new JsonObject().put("model", new JsonObject().put("provider", "forms").put("model", "whisper-x"))))), 201);
    key = gantry.apiKey(true, "*", null).getString("value");
    client = OpenAIOkHttpClient.builder().baseUrl(gantry.baseUrl()).apiKey(key).maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
    gantry.close();
  }

  @Test
  void aWholeChatAnswerComesBackAsAChatCompletionWithTheProvidersUsage() {
    received.clear();
    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("claude/claude-x").addSystemMessage("Be brief.").addUserMessage("Hi").maxCompletionTokens(50).build());

    assertThat(completion.choices().get(0).message().content()).hasValue("Hello from Claude");
    assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.model()).isEqualTo("claude/claude-x");
    assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(12);
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(4);
    JsonObject sent = received.poll();
    assertThat(sent.getString("model")).isEqualTo("claude-x");
    assertThat(sent.getString("system")).isEqualTo("Be brief.");
    assertThat(sent.getInteger("max_tokens")).isEqualTo(50);
    assertThat(sent.getJsonArray("messages")).isEqualTo(new JsonArray().add(new JsonObject().put("role", "user")
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "Hi")))));
    JsonObject row = gantry.usageRows("claude/claude-x", 1).get(0);
    assertThat(row.getInteger("prompt_tokens")).isEqualTo(12);
    assertThat(row.getInteger("completion_tokens")).isEqualTo(4);
  }

  @Test
  void aStreamedChatAnswerComesBackAsChatChunksWithUsage() {
    List<ChatCompletionChunk> chunks;
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("claude/claude-x").addUserMessage("Hi")
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      chunks = stream.stream().toList();
    }

    String text = chunks.stream().flatMap(c -> c.choices().stream()).map(c -> c.delta().content().orElse(""))
        .reduce("", String::concat);
    assertThat(text).isEqualTo("Hello from Claude");
    assertThat(chunks.stream().flatMap(c -> c.choices().stream()).map(c -> c.finishReason().orElse(null))
        .filter(java.util.Objects::nonNull).toList()).containsExactly(ChatCompletionChunk.Choice.FinishReason.STOP);
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage().orElseThrow().promptTokens()).isEqualTo(12);
    assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(4);
  }

  @Test
  void imagesAndToolsAreConvertedAndAToolUseAnswerBecomesToolCalls() throws Exception {
    received.clear();
    JsonObject body = new JsonObject().put("model", "claude/claude-x").put("messages", new JsonArray()
            .add(new JsonObject().put("role", "user").put("content", new JsonArray()
                .add(new JsonObject().put("type", "text").put("text", "Weather where this was taken?"))
                .add(new JsonObject().put("type", "image_url").put("image_url",
                    new JsonObject().put("url", "data:image/png;base64,iVBORw0KGgo="))))))
        .put("tools", new JsonArray().add(new JsonObject().put("type", "function").put("function", new JsonObject()
            .put("name", "weather").put("parameters", new JsonObject().put("type", "object")))));

    HttpResponse<String> answer = gantry.call("POST", "/v1/chat/completions", key, body.encode());

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonObject choice = new JsonObject(answer.body()).getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getString("finish_reason")).isEqualTo("tool_calls");
    JsonObject call = choice.getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0);
    assertThat(call.getJsonObject("function").getString("name")).isEqualTo("weather");
    assertThat(new JsonObject(call.getJsonObject("function").getString("arguments")).getString("city")).isEqualTo("Oslo");
    JsonObject sent = received.poll();
    JsonObject image = sent.getJsonArray("messages").getJsonObject(0).getJsonArray("content").getJsonObject(1);
    assertThat(image).isEqualTo(new JsonObject().put("type", "image").put("source", new JsonObject()
        .put("type", "base64").put("media_type", "image/png").put("data", "iVBORw0KGgo=")));
    assertThat(sent.getJsonArray("tools").getJsonObject(0).getString("name")).isEqualTo("weather");
  }

  @Test
  void aResponsesRequestReachesTheAnthropicProviderAsChatConvertedTwice() {
    received.clear();
    Api.Response answer = gantry.admin.withKey(key).post("/v1/responses", new JsonObject()
        .put("model", "claude/claude-x").put("instructions", "Be brief.").put("input", "Hi"));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().getString("object")).isEqualTo("response");
    assertThat(answer.json().getJsonArray("output").getJsonObject(0).getJsonArray("content").getJsonObject(0)
        .getString("text")).isEqualTo("Hello from Claude");
    assertThat(answer.json().getJsonObject("usage").getInteger("input_tokens")).isEqualTo(12);
    assertThat(received.poll().getString("system")).isEqualTo("Be brief.");
  }

  @Test
  void theProvidersRefusalComesBackInOpenAisErrorShape() throws Exception {
    HttpResponse<String> answer = gantry.call("POST", "/v1/chat/completions", key, new JsonObject()
        .put("model", "claude-badkey/claude-x").put("messages", new JsonArray().add(new JsonObject()
            .put("role", "user").put("content", "Hi"))).encode());

    assertThat(answer.statusCode()).isEqualTo(401);
    JsonObject error = new JsonObject(answer.body()).getJsonObject("error");
    assertThat(error.getString("type")).isEqualTo("authentication_error");
    assertThat(error.getString("message")).contains("invalid x-api-key").doesNotContain("wrong-key");
  }

  @Test
  void anAudioFormReachesAProviderModelAndARouteIntactWithOnlyItsModelRenamed() throws Exception {
    String boundary = "gantry-" + Ids.random(8);
    byte[] wav = {'R', 'I', 'F', 'F', (byte) 0xff, 0, 13, 10, (byte) 0x80, '-', '-'};
    for (String name : List.of("forms/whisper-x", "transcribe")) {
      forms.clear();
      java.util.function.Function<String, byte[]> form = model -> io.vertx.core.buffer.Buffer.buffer("--" + boundary
              + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\n")
          .appendBytes(wav).appendString("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n"
              + model + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"language\"\r\n\r\nde\r\n--"
              + boundary + "--\r\n").getBytes();

      Api.Response answer = gantry.admin.withKey(key).send("POST", "/v1/audio/transcriptions",
          "multipart/form-data; boundary=" + boundary, form.apply(name));

      assertThat(answer.status()).as(name + ": " + answer.body()).isEqualTo(200);
      assertThat(answer.json().getString("text")).isEqualTo("heard it");
      JsonObject arrived = forms.poll();
      assertThat(arrived.getString("path")).isEqualTo("/v1/audio/transcriptions");
      assertThat(arrived.getString("content-type")).isEqualTo("multipart/form-data; boundary=" + boundary);
      assertThat(arrived.getBinary("body")).as("the form as sent, model renamed for the provider")
          .isEqualTo(form.apply("whisper-x"));
    }
  }

  /** The stand-in's OpenAI form endpoint: checks the credential, records the form's bytes. */
  private static void form(HttpServerRequest request) {
    request.body().onSuccess(raw -> {
      if (!("Bearer " + FORMS_CREDENTIAL).equals(request.getHeader("Authorization"))) {
        request.response().setStatusCode(401).end();
        return;
      }
      forms.add(new JsonObject().put("path", request.path()).put("content-type", request.getHeader("Content-Type"))
          .put("body", raw.getBytes()));
      request.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("text", "heard it")
          .encode());
    });
  }

  /** The stand-in's {@code POST /v1/messages}: checks the headers, records the body, answers whole or as events. */
  private static void messages(HttpServerRequest request) {
    if (request.path().startsWith("/v1/audio/")) {
      form(request);
      return;
    }
    request.body().onSuccess(raw -> {
      if (!request.path().equals("/v1/messages") || !CREDENTIAL.equals(request.getHeader("x-api-key"))
          || !"2023-06-01".equals(request.getHeader("anthropic-version"))) {
        request.response().setStatusCode(401).putHeader("Content-Type", "application/json").end(new JsonObject()
            .put("type", "error").put("error", new JsonObject().put("type", "authentication_error")
                .put("message", "invalid x-api-key")).encode());
        return;
      }
      JsonObject body = new JsonObject(raw);
      received.add(body);
      boolean tools = body.containsKey("tools");
      JsonObject usage = new JsonObject().put("input_tokens", 12).put("output_tokens", 4);
      if (!body.getBoolean("stream", false)) {
        JsonArray content = new JsonArray().add(new JsonObject().put("type", "text").put("text", "Hello from Claude"));
        if (tools) {
          content.add(new JsonObject().put("type", "tool_use").put("id", "toolu_1").put("name", "weather")
              .put("input", new JsonObject().put("city", "Oslo")));
        }
        request.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("id", "msg_1")
            .put("type", "message").put("role", "assistant").put("model", body.getString("model"))
            .put("content", content).put("stop_reason", tools ? "tool_use" : "end_turn").putNull("stop_sequence")
            .put("usage", usage).encode());
        return;
      }
      request.response().putHeader("Content-Type", "text/event-stream").setChunked(true);
      event(request, "message_start", new JsonObject().put("message", new JsonObject().put("id", "msg_2")
          .put("type", "message").put("role", "assistant").put("content", new JsonArray())
          .put("usage", new JsonObject().put("input_tokens", 12).put("output_tokens", 1))));
      event(request, "content_block_start", new JsonObject().put("index", 0)
          .put("content_block", new JsonObject().put("type", "text").put("text", "")));
      event(request, "ping", new JsonObject());
      event(request, "content_block_delta", new JsonObject().put("index", 0)
          .put("delta", new JsonObject().put("type", "text_delta").put("text", "Hello")));
      event(request, "content_block_delta", new JsonObject().put("index", 0)
          .put("delta", new JsonObject().put("type", "text_delta").put("text", " from Claude")));
      event(request, "content_block_stop", new JsonObject().put("index", 0));
      event(request, "message_delta", new JsonObject().put("delta", new JsonObject().put("stop_reason", "end_turn"))
          .put("usage", new JsonObject().put("output_tokens", 4)));
      event(request, "message_stop", new JsonObject());
      request.response().end();
    });
  }

  private static void event(HttpServerRequest request, String type, JsonObject data) {
    request.response().write("event: " + type + "\ndata: " + data.put("type", type).encode() + "\n\n");
  }

  private static JsonObject provider(String name, String base, String credential) {
    return new JsonObject().put("name", name).put("kind", "anthropic").put("base_url", base)
        .put("credentials", new JsonArray().add(credential)).put("models", new JsonArray().add("claude-x"));
  }
}
