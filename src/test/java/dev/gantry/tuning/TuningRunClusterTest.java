package dev.gantry.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Ids;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Tuning runs on a two-node in-JVM cluster: runs posted at once on both nodes (one starts), and a run whose
 * node crashes mid-run (the leader ends it failed and deletes what it made). The crash comes last.
 */
@DisplayName("Tuning runs in a cluster: one at a time across nodes, ended by the leader when their node leaves")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TuningRunClusterTest {

  private static final Duration RUN = Duration.ofSeconds(180);
  private static final JsonObject TINY_CHAT = new JsonObject().put("source", "builtin").put("builtin_model", "gantry-tiny-chat")
      .put("backend", "builtin");
  private static TestNodes nodes;
  private static Api admin1;
  private static Api admin2;

  @BeforeAll
  static void startTwoNodes() {
    nodes = TestNodes.start(2);
    admin1 = nodes.admin(1);
    admin2 = nodes.admin(2);
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  @Order(1)
  @DisplayName("four runs posted at the same instant on two nodes: exactly one starts, the others get 409 naming it")
  void runsPostedAtOnceStartOneAtATime() throws Exception {
    JsonObject body = new JsonObject().put("family", "at-once-" + Ids.random(4).toLowerCase()).put("model", TINY_CHAT)
        .put("grid", new JsonObject().put("replicas", new JsonArray().add(1)))
        .put("profile", new JsonObject().put("duration_seconds", 60).put("rate", 1).put("max_tokens", 4));
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Api.Response>> posts = new ArrayList<>();
    for (Api api : List.of(admin1, admin2, admin1, admin2)) {
      posts.add(CompletableFuture.supplyAsync(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return api.post("/v2/tuning-runs", body);
      }));
    }
    go.countDown();
    List<Api.Response> answers = new ArrayList<>();
    for (CompletableFuture<Api.Response> post : posts) {
      answers.add(post.get());
    }

    List<Api.Response> started = answers.stream().filter(r -> r.status() == 202).toList();
    List<Api.Response> refused = answers.stream().filter(r -> r.status() == 409).toList();
    assertThat(started).as(answers.toString()).hasSize(1);
    assertThat(refused).as(answers.toString()).hasSize(3);
    String id = started.get(0).json().getString("id");
    assertThat(refused).allSatisfy(r -> assertThat(r.json().getString("message")).contains("tuning run " + id + " is running"));
    assertThat(active()).containsExactly(id);

    assertThat(admin1.delete("/v2/tuning-runs/" + id).status()).isIn(202, 204);
    Eventually.await(RUN, () -> assertThat(active()).isEmpty());
  }

  @Test
  @Order(2)
  @DisplayName("the node driving a run crashes mid-run: the run ends failed naming it, its model and key are deleted")
  void aRunWhoseNodeLeftEndsFailed() {
    JsonObject started = Api.expect(admin2.post("/v2/tuning-runs", new JsonObject()
        .put("family", "orphan-" + Ids.random(4).toLowerCase()).put("model", TINY_CHAT)
        .put("grid", new JsonObject().put("replicas", new JsonArray().add(1).add(2)))
        .put("profile", new JsonObject().put("duration_seconds", 120).put("rate", 2).put("max_tokens", 4))), 202);
    String id = started.getString("id");
    assertThat(started.getString("node")).isEqualTo(nodes.name(2));
    Eventually.await(RUN, () -> assertThat(Api.expect(admin1.get("/v2/tuning-runs/" + id), 200)
        .getJsonObject("progress").getString("step")).isEqualTo("benchmarking"));
    assertThat(Api.expect(admin1.get("/v2/models/" + id + "-c1"), 200).getString("name")).isEqualTo(id + "-c1");
    assertThat(admin1.get("/v2/api-keys").body()).contains(RunKeys.name(id));

    nodes.crashNode(2);

    JsonObject[] run = new JsonObject[1];
    Eventually.await(Duration.ofSeconds(60), () -> {
      run[0] = Api.expect(admin1.get("/v2/tuning-runs/" + id), 200);
      assertThat(run[0].getString("state")).isEqualTo("failed");
    });
    assertThat(run[0].getString("message")).contains("node " + nodes.name(2) + " left the cluster during candidate 1/2");
    assertThat(run[0].getString("finished_at")).isNotNull();
    Eventually.await(Duration.ofSeconds(30), () -> {
      assertThat(admin1.get("/v2/models/" + id + "-c1").status()).isEqualTo(404);
      assertThat(Api.expect(admin1.get("/v2/model-instances?model_name=" + id + "-c1"), 200).getJsonArray("items")).isEmpty();
      assertThat(admin1.get("/v2/api-keys").body()).doesNotContain(RunKeys.name(id));
    });
    assertThat(active()).isEmpty();
  }

  /** Ids of the runs the database holds as running or cancelling. */
  private static List<String> active() {
    return Api.expect(admin1.get("/v2/tuning-runs"), 200).getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(r -> List.of("running", "cancelling").contains(r.getString("state"))).map(r -> r.getString("id")).toList();
  }
}
