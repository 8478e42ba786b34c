package dev.gantry.testmodels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deterministic test model really runs in upstream llama-server and answers exactly
 * {@link TestModels#REPLY}, greedy and sampled, streaming and not. Skipped unless system property
 * {@code gantry.llama.server} or env {@code GANTRY_LLAMA_SERVER} names the binary
 * ({@code scripts/llama-server.sh} prints it).
 */
class LlamaServerTinyModelIT {

  private static final Duration STARTUP_DEADLINE = Duration.ofSeconds(60);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir
  static Path dir;

  private static Process server;
  private static Path log;
  private static URI base;

  @BeforeAll
  static void startLlamaServer() throws Exception {
    Optional<Path> binary = Optional.ofNullable(System.getProperty("gantry.llama.server"))
        .or(() -> Optional.ofNullable(System.getenv("GANTRY_LLAMA_SERVER")))
        .map(Path::of)
        .filter(Files::isExecutable);
    Assumptions.assumeTrue(binary.isPresent(),
        "set -Dgantry.llama.server or GANTRY_LLAMA_SERVER to the llama-server binary (scripts/llama-server.sh)");
    Path model = TestModels.deterministic(dir.resolve("deterministic.gguf"));
    int port = freePort();
    base = URI.create("http://127.0.0.1:" + port);
    log = dir.resolve("llama-server.log");
    server = new ProcessBuilder(binary.get().toString(), "-m", model.toString(), "--host", "127.0.0.1",
        "--port", String.valueOf(port), "-c", "256")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    awaitHealthy();
  }

  @AfterAll
  static void stopLlamaServer() throws InterruptedException {
    if (server == null) {
      return;
    }
    server.destroy();
    if (!server.waitFor(10, TimeUnit.SECONDS)) {
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest(name = "temperature {0}")
  @ValueSource(doubles = {0.0, 1.0})
  void repliesWithTheFixedSentenceAndStops(double temperature) throws Exception {
    JsonObject response = new JsonObject(post(chatRequest(temperature, false)).body());

    JsonObject choice = response.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getJsonObject("message").getString("content")).isEqualTo(TestModels.REPLY);
    assertThat(choice.getString("finish_reason")).isEqualTo("stop");
    JsonObject usage = response.getJsonObject("usage");
    assertThat(usage.getInteger("prompt_tokens")).isEqualTo(TestModels.PROMPT_TOKENS_FOR_HI);
    assertThat(usage.getInteger("completion_tokens")).isEqualTo(TestModels.COMPLETION_TOKENS);
  }

  @ParameterizedTest(name = "temperature {0}")
  @ValueSource(doubles = {0.0, 1.0})
  void streamsTheFixedSentencePieceByPiece(double temperature) throws Exception {
    HttpResponse<String> response = post(chatRequest(temperature, true));

    List<String> events = response.body().lines()
        .filter(line -> line.startsWith("data: "))
        .map(line -> line.substring("data: ".length()))
        .collect(Collectors.toList());
    assertThat(events).last().isEqualTo("[DONE]");
    List<JsonObject> chunks = events.subList(0, events.size() - 1).stream().map(JsonObject::new).toList();
    List<JsonObject> choices = chunks.stream()
        .flatMap(chunk -> chunk.getJsonArray("choices").stream().map(JsonObject.class::cast))
        .toList();
    assertThat(choices.stream()
        .map(choice -> choice.getJsonObject("delta").getString("content"))
        .filter(content -> content != null && !content.isEmpty()))
        .containsExactly("Hello", " from", " Gantry", ".");
    assertThat(choices).last().extracting(choice -> choice.getString("finish_reason")).isEqualTo("stop");
    JsonObject usage = chunks.get(chunks.size() - 1).getJsonObject("usage");
    assertThat(usage.getInteger("completion_tokens")).isEqualTo(TestModels.COMPLETION_TOKENS);
  }

  private static JsonObject chatRequest(double temperature, boolean stream) {
    return new JsonObject()
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")))
        .put("temperature", temperature)
        .put("stream", stream)
        .put("stream_options", stream ? new JsonObject().put("include_usage", true) : null);
  }

  private static HttpResponse<String> post(JsonObject body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
        .build();
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response;
  }

  /** Polls /health (503 while the model loads) until 200, the process exits, or the deadline passes. */
  private static void awaitHealthy() throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(STARTUP_DEADLINE);
    HttpRequest health = HttpRequest.newBuilder(base.resolve("/health")).timeout(Duration.ofSeconds(2)).build();
    while (Instant.now().isBefore(deadline)) {
      try {
        if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // the server has not opened its port yet
      }
      if (server.waitFor(50, TimeUnit.MILLISECONDS)) {
        fail("llama-server exited with %d:%n%s", server.exitValue(), Files.readString(log));
      }
    }
    fail("llama-server not healthy within %s:%n%s", STARTUP_DEADLINE, Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
