package dev.gantry.engine.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.builtin.InJvmBuiltinEngine;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A streamed chat through the gateway to a stand-in whose delegate (the builtin engine, behind a
 * {@link HeldBackDelegate}) has sent only its first event: that chunk reaches the client, renamed, while the
 * delegate's stream is still open; once the rest comes, the client has the builtin engine's whole answer under
 * the stand-in's name, with the usage chunk it asked for.
 */
class StandInStreamingTest {

  private static final String MODEL = "streamed-standin";
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static InJvmBuiltinEngine builtin;
  private static HeldBackDelegate delegate;
  private static Path engines;
  private static TestNodes nodes;
  private static String key;
  private static String directAnswer;

  @BeforeAll
  static void start() throws Exception {
    builtin = InJvmBuiltinEngine.start();
    directAnswer = Api.expect(new Api(builtin.url()).post("/v1/chat/completions", chat(InJvmBuiltinEngine.MODEL)), 200)
        .getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
    delegate = new HeldBackDelegate(builtin.url());
    engines = TestFiles.tempDir("gantry-standin-streaming-");
    StandInEngine.install(engines, "vllm", "0.11.2");
    StandInEngine.delegateTo(engines, delegate.url(), InJvmBuiltinEngine.MODEL);
    Path weights = Files.createDirectories(engines.resolve("weights/qwen"));
    Files.writeString(weights.resolve("config.json"), "{}");
    nodes = TestNodes.startWith(1, "--engines-dir", engines.toString());
    Api admin = nodes.admin(1);
    key = admin.createKey("standin-streaming", "inference").getString("value");
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", MODEL).put("backend", "vllm")
        .put("backend_version", "0.11.2").put("local_path", weights.toString())
        .put("estimate_override_bytes", 64L << 20)), 201);
    Eventually.await(Duration.ofSeconds(60), () -> assertThat(Api.expect(admin.get("/v2/model-instances?model_name="
        + MODEL), 200).getJsonArray("items")).singleElement()
        .satisfies(i -> assertThat(((JsonObject) i).getString("state")).isEqualTo("running")));
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
    if (delegate != null) {
      delegate.close();
    }
    if (builtin != null) {
      builtin.close();
    }
    TestFiles.deleteRecursively(engines);
  }

  private static JsonObject chat(String model) {
    return new JsonObject().put("model", model).put("max_tokens", 16)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
  }

  /** The next {@code data:} chunk of the stream (null at its end), waited for no longer than the deadline. */
  private static JsonObject nextChunk(Iterator<String> lines) throws Exception {
    return CompletableFuture.supplyAsync(() -> {
      while (lines.hasNext()) {
        String line = lines.next();
        if (line.startsWith("data:")) {
          String data = line.substring(5).trim();
          return data.equals("[DONE]") ? null : new JsonObject(data);
        }
      }
      return null;
    }).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void theFirstChunkReachesTheClientWhileTheDelegateIsStillStreaming() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(nodes.url(1) + "/v1/chat/completions"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(chat(MODEL).put("stream", true)
            .put("stream_options", new JsonObject().put("include_usage", true)).encode()))
        .build();
    HttpResponse<Stream<String>> response = HttpClient.newHttpClient()
        .sendAsync(request, HttpResponse.BodyHandlers.ofLines()).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    try (Stream<String> body = response.body()) {
      Iterator<String> lines = body.iterator();

      JsonObject first = nextChunk(lines);
      assertThat(first).as("a chunk before the delegate sent its second event").isNotNull();
      assertThat(first.getString("model")).isEqualTo(MODEL);

      delegate.release();
      List<JsonObject> chunks = new ArrayList<>(List.of(first));
      for (JsonObject chunk = nextChunk(lines); chunk != null; chunk = nextChunk(lines)) {
        chunks.add(chunk);
      }
      assertThat(chunks).allSatisfy(c -> assertThat(c.getString("model")).isEqualTo(MODEL));
      StringBuilder text = new StringBuilder();
      chunks.stream().map(c -> c.getJsonArray("choices")).filter(c -> c != null && !c.isEmpty())
          .map(c -> c.getJsonObject(0).getJsonObject("delta", new JsonObject()).getString("content", ""))
          .forEach(text::append);
      assertThat(text.toString()).as("the builtin engine's answer").isEqualTo(directAnswer);
      assertThat(chunks.stream().filter(c -> c.getJsonObject("usage") != null)
          .map(c -> c.getJsonObject("usage").getLong("completion_tokens", 0L)))
          .as("the usage chunk asked for").isNotEmpty().allSatisfy(tokens -> assertThat(tokens).isPositive());
    }
  }
}
