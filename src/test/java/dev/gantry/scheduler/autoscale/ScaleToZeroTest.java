package dev.gantry.scheduler.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An autoscaled model with {@code min: 0}: no replica until a request comes; that request (and a streamed
 * one) waits while a replica starts and is then answered; idle again, the model goes back to zero; the
 * decisions are listed with their reasons; a replica that never starts gives a 503 with Retry-After.
 */
class ScaleToZeroTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static TestNodes nodes;
  private static Api admin;
  private static String key;

  @BeforeAll
  static void start() {
    nodes = TestNodes.start(1);
    admin = nodes.admin(1);
    key = admin.createKey("scale-to-zero", "*").getString("value");
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  private static HttpResponse<String> chat(String model, boolean stream) throws Exception {
    JsonObject body = new JsonObject().put("model", model).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));
    return HTTP.send(HttpRequest.newBuilder(URI.create(nodes.url(1) + "/v1/chat/completions"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonArray instances(String model) {
    return Api.expect(admin.get("/v2/model-instances?model_name=" + model), 200).getJsonArray("items");
  }

  @Test
  void aScaledToZeroModelStartsForTheFirstRequestAndStopsWhenIdle() throws Exception {
    JsonObject created = Api.expect(admin.post("/v2/models", new JsonObject().put("name", "sleepy").put("source", "builtin")
        .put("builtin_model", "gantry-tiny-chat").put("autoscale", new JsonObject().put("min", 0).put("max", 2)
            .put("idle_time", 4).put("scale_up_delay", 1).put("scale_down_delay", 2).put("hold_timeout", 90))), 201);
    assertThat(created.getInteger("replicas")).as("starts at min").isZero();
    assertThat(instances("sleepy")).isEmpty();

    long sent = System.nanoTime();
    CompletableFuture<HttpResponse<String>> streamed = CompletableFuture.supplyAsync(() -> {
      try {
        return chat("sleepy", true);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    HttpResponse<String> first = chat("sleepy", false);
    long coldMs = (System.nanoTime() - sent) / 1_000_000;
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(first.body()).contains("Hello from Gantry!");
    HttpResponse<String> stream = streamed.get();
    assertThat(stream.statusCode()).as(stream.body()).isEqualTo(200);
    assertThat(stream.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    assertThat(stream.body()).contains("Hello").contains("[DONE]");
    System.out.printf("scale to zero: the first request waited %d ms for a replica to start%n", coldMs);

    Eventually.await(Duration.ofSeconds(30), () -> {
      assertThat(Api.expect(admin.get("/v2/models/sleepy"), 200).getInteger("replicas")).isZero();
      assertThat(instances("sleepy")).isEmpty();
    });
    JsonArray events = Api.expect(admin.get("/v2/models/sleepy/autoscale-events"), 200).getJsonArray("items");
    assertThat(events.getJsonObject(0).getString("reason")).isEqualTo("1 → 0: no request for 4 s");
    assertThat(events.getJsonObject(events.size() - 1).getString("reason")).startsWith("0 → 1: ").contains("waiting");
  }

  @Test
  void aRequestThatWaitsLongerThanTheHoldTimeoutGetsA503WithRetryAfter() throws Exception {
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", "never").put("backend", "builtin")
        .put("local_path", "/nonexistent/never.gguf").put("autoscale", new JsonObject().put("min", 0).put("max", 1)
            .put("hold_timeout", 2))), 201);
    HttpResponse<String> refused = chat("never", false);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("retry-after")).isPresent();
    assertThat(new JsonObject(refused.body()).getJsonObject("error").getString("message"))
        .contains("did not get a running replica within 2 s");
  }

  @Test
  void boundsThatCannotWorkAreRefused() {
    Api.Response refused = admin.post("/v2/models", new JsonObject().put("name", "bad-bounds").put("source", "builtin")
        .put("builtin_model", "gantry-tiny-chat").put("autoscale", new JsonObject().put("min", 3).put("max", 2)));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body()).contains("autoscale.max");
    assertThat(admin.get("/v2/models/bad-bounds").status()).isEqualTo(404);
  }
}
