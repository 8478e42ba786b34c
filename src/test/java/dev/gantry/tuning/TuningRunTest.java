package dev.gantry.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Ids;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.SseClient;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * "Find the best spec" on one in-JVM node with the builtin demo chat model: two candidates that differ in
 * speed ({@code --token-delay-ms}) are each deployed, benchmarked and deleted; the faster one is recorded
 * in the catalog as a measured spec for this node's hardware.
 */
@DisplayName("Tuning runs: candidates deployed and benchmarked in turn, the winner learned by the catalog")
class TuningRunTest {

  private static final Duration RUN = Duration.ofSeconds(180);
  private static final JsonObject TINY_CHAT = new JsonObject().put("source", "builtin").put("builtin_model", "gantry-tiny-chat")
      .put("backend", "builtin");
  private static TestNodes nodes;
  private static Api admin;

  @BeforeAll
  static void startANode() {
    nodes = TestNodes.start(1);
    admin = nodes.admin(1);
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  @DisplayName("two candidates are measured, their models are gone, and the faster one is a measured catalog spec for this node")
  void theFasterCandidateBecomesAMeasuredSpec() {
    String family = "tuned-chat-" + Ids.random(5).toLowerCase();
    JsonObject body = new JsonObject().put("family", family).put("model", TINY_CHAT).put("sla", "chat")
        .put("grid", new JsonObject().put("backend_parameters", new JsonArray()
            .add(new JsonArray().add("--token-delay-ms").add("80"))
            .add(new JsonArray().add("--token-delay-ms").add("0"))))
        .put("profile", new JsonObject().put("requests", 6).put("concurrency", 2).put("max_tokens", 6));

    JsonObject run;
    try (SseClient watch = SseClient.watch(admin, "/v2/tuning-runs")) {
      JsonObject started = Api.expect(admin.post("/v2/tuning-runs", body), 202);
      String id = started.getString("id");
      assertThat(started.getString("state")).isEqualTo("running");
      assertThat(started.getJsonArray("candidates")).hasSize(2);
      watch.awaitEvent(e -> id.equals(e.item("id")) && "benchmarking".equals(e.json().getJsonObject("progress").getString("step"))
          && e.json().getJsonObject("progress").getInteger("candidate") == 2, RUN);
      run = awaitEnd(id);
    }

    assertThat(run.getString("state")).as(run.encodePrettily()).isEqualTo("completed");
    assertThat(run.getJsonObject("progress").getInteger("total")).isEqualTo(2);
    List<JsonObject> candidates = run.getJsonArray("candidates").stream().map(JsonObject.class::cast).toList();
    assertThat(candidates).allSatisfy(c -> {
      assertThat(c.getString("state")).isEqualTo("measured");
      assertThat(c.getString("benchmark")).isNotNull();
      assertThat(c.getJsonObject("figures").getInteger("requests")).isEqualTo(6);
    });
    JsonObject slow = candidates.get(0).getJsonObject("figures");
    JsonObject fast = candidates.get(1).getJsonObject("figures");
    assertThat(slow.getDouble("tpot_p95_ms")).as("a pause of 80 ms before each token").isGreaterThanOrEqualTo(80.0);
    assertThat(fast.getDouble("output_token_throughput")).isGreaterThan(slow.getDouble("output_token_throughput"));
    assertThat(run.getInteger("winner")).isEqualTo(1);
    assertThat(candidates.get(1).getBoolean("winner")).isTrue();

    assertThat(Api.expect(admin.get("/v2/models"), 200).getJsonArray("items").stream()
        .map(m -> ((JsonObject) m).getString("name"))).noneMatch(name -> name.startsWith(run.getString("id")));
    for (JsonObject candidate : candidates) {
      assertThat(Api.expect(admin.get("/v2/model-instances?model_name=" + candidate.getString("model_name")), 200)
          .getJsonArray("items")).isEmpty();
    }
    assertThat(admin.get("/v2/api-keys").body()).doesNotContain("tuning-" + run.getString("id"));

    JsonObject learned = Api.expect(admin.get("/v2/catalog"), 200).getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(f -> family.equals(f.getString("name"))).findFirst().orElseThrow().getJsonArray("specs").getJsonObject(0);
    assertThat(learned.getString("source")).isEqualTo("measured");
    assertThat(learned.getString("tuning_run")).isEqualTo(run.getString("id"));
    assertThat(learned.getJsonObject("hardware")).isEqualTo(new JsonObject().put("vendor", "cpu"));
    assertThat(learned.getBoolean("fits")).isTrue();
    assertThat(learned.getJsonArray("nodes")).containsExactly(nodes.name(1));
    assertThat(learned.getJsonObject("model").getJsonArray("backend_parameters"))
        .isEqualTo(new JsonArray().add("--token-delay-ms").add("0"));
    assertThat(learned.getJsonObject("model").containsKey("name")).isFalse();
    assertThat(learned.getJsonObject("figures").getDouble("output_token_throughput"))
        .isEqualTo(fast.getDouble("output_token_throughput"));
    assertThat(run.getJsonObject("progress").getJsonObject("measured_spec").getString("id")).isEqualTo(learned.getString("id"));
  }

  @Test
  @DisplayName("a running tuning run is cancelled: its temporary model is deleted and nothing is learned")
  void aCancelledRunCleansUpAndRecordsNothing() {
    String family = "cancelled-chat-" + Ids.random(5).toLowerCase();
    JsonObject started = Api.expect(admin.post("/v2/tuning-runs", new JsonObject().put("family", family).put("model", TINY_CHAT)
        .put("grid", new JsonObject().put("replicas", new JsonArray().add(1).add(2)))
        .put("profile", new JsonObject().put("duration_seconds", 120).put("rate", 2).put("max_tokens", 4))), 202);
    String id = started.getString("id");
    Eventually.await(RUN, () -> assertThat(Api.expect(admin.get("/v2/tuning-runs/" + id), 200)
        .getJsonObject("progress").getString("step")).isEqualTo("benchmarking"));

    Api.Response second = admin.post("/v2/tuning-runs", new JsonObject().put("family", family).put("model", TINY_CHAT)
        .put("grid", new JsonObject().put("replicas", new JsonArray().add(1))));
    assertThat(second.status()).as("one run at a time").isEqualTo(409);
    assertThat(second.json().getString("message")).contains(id);

    assertThat(admin.delete("/v2/tuning-runs/" + id).status()).isEqualTo(202);

    JsonObject run = awaitEnd(id);
    assertThat(run.getString("state")).as(run.encodePrettily()).isEqualTo("cancelled");
    assertThat(run.getJsonArray("candidates").stream().map(c -> ((JsonObject) c).getString("state")))
        .containsExactly("cancelled", "cancelled");
    assertThat(Api.expect(admin.get("/v2/model-instances?model_name=" + id + "-c1"), 200).getJsonArray("items")).isEmpty();
    assertThat(admin.get("/v2/models/" + id + "-c1").status()).isEqualTo(404);
    assertThat(Api.expect(admin.get("/v2/catalog?all=true"), 200).encode()).doesNotContain(family);
    assertThat(admin.delete("/v2/tuning-runs/" + id).status()).isEqualTo(204);
    assertThat(admin.get("/v2/tuning-runs/" + id).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("a model form's hub_token is never stored in the run nor shown to anyone who lists runs")
  void theHubTokenOfAModelFormIsNotShown() {
    String token = "hf_tuning" + Ids.random(12);
    String username = "tuning-reader-" + Ids.random(5).toLowerCase();
    admin.createUser(username, "reader-password-1", "user");
    Api user = nodes.api(1).login(username, "reader-password-1");
    JsonObject started = Api.expect(admin.post("/v2/tuning-runs", new JsonObject().put("family", "hub-token-" + Ids.random(5)
        .toLowerCase()).put("model", TINY_CHAT.copy().put("hub_token", token))
        .put("grid", new JsonObject().put("replicas", new JsonArray().add(1)))
        .put("profile", new JsonObject().put("requests", 1))), 202);
    String id = started.getString("id");
    assertThat(started.encode()).doesNotContain(token);

    JsonObject run = awaitEnd(id);
    assertThat(run.encode()).doesNotContain(token);
    assertThat(Api.expect(user.get("/v2/tuning-runs/" + id), 200).encode()).doesNotContain(token);
    assertThat(user.get("/v2/tuning-runs").body()).contains(id).doesNotContain(token);
    assertThat(run.getJsonArray("candidates").getJsonObject(0).getString("message"))
        .as("the token still reaches the candidate's deploy (a builtin model refuses one)").contains("hub_token");
  }

  @Test
  @DisplayName("bad requests are refused naming the field, and no run is recorded")
  void badRequestsAreRefused() {
    int before = Api.expect(admin.get("/v2/tuning-runs"), 200).getJsonArray("items").size();
    JsonArray three = new JsonArray().add(1).add(2).add(3);

    assertRefused(new JsonObject().put("family", "f").put("model", TINY_CHAT).put("grid", new JsonObject().put("replicas", three)
        .put("backend_parameters", new JsonArray().add(new JsonArray()).add(new JsonArray()).add(new JsonArray()))), 400, "at most 8");
    assertRefused(new JsonObject().put("family", "f").put("model", TINY_CHAT).put("grid", new JsonObject().put("name", three)),
        400, "grid.name");
    assertRefused(new JsonObject().put("family", "f").put("model", TINY_CHAT).put("grid", new JsonObject().put("replicas",
        new JsonArray().add(0))), 400, "grid.replicas");
    assertRefused(new JsonObject().put("family", "f").put("model", TINY_CHAT), 400, "grid");
    assertRefused(new JsonObject().put("family", "f").put("grid", new JsonObject().put("replicas", three)), 400, "model");
    assertRefused(new JsonObject().put("family", "gantry-tiny-chat").put("spec", "no-such-spec"), 404, "no-such-spec");
    assertRefused(new JsonObject().put("family", "f").put("model", TINY_CHAT.copy().put("source", 5))
        .put("grid", new JsonObject().put("replicas", three)), 400, "source and backend");
    assertRefused(new JsonObject().put("family", "f").put("model", TINY_CHAT.copy().put("backend_parameters", "--ctx-size"))
        .put("grid", new JsonObject().put("backend_parameters", new JsonArray().add(new JsonArray().add("-t")))), 400,
        "model.backend_parameters");
    assertRefused(new JsonObject().put("family", "f").put("model", TINY_CHAT.copy().put("env", "A=1"))
        .put("grid", new JsonObject().put("env", new JsonArray().add(new JsonObject().put("B", "2")))), 400, "model.env");
    assertRefused(new JsonObject().put("family", "f").put("model", TINY_CHAT).put("sla", "fast")
        .put("grid", new JsonObject().put("replicas", three)), 400, "chat");
    assertThat(nodes.api(1).post("/v2/tuning-runs", new JsonObject().put("family", "f")).status()).isEqualTo(401);

    assertThat(Api.expect(admin.get("/v2/tuning-runs"), 200).getJsonArray("items")).hasSize(before);
  }

  private static void assertRefused(JsonObject body, int status, String text) {
    Api.Response response = admin.post("/v2/tuning-runs", body);
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.json().getString("message")).contains(text);
  }

  private static JsonObject awaitEnd(String id) {
    JsonObject[] run = new JsonObject[1];
    Eventually.await(RUN, () -> {
      run[0] = Api.expect(admin.get("/v2/tuning-runs/" + id), 200);
      assertThat(run[0].getString("state")).isIn("completed", "cancelled", "failed");
    });
    return run[0];
  }
}
