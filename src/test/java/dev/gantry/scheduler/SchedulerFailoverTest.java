package dev.gantry.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import dev.gantry.testmodels.TestModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three in-JVM nodes: replicas spread across them; when the node serving a replica and another node
 * leave — whichever of them led the cluster — the last node takes over scheduling, re-places the
 * replica after the grace period and it runs again.
 */
class SchedulerFailoverTest {

  private static TestNodes nodes;
  private static Path dir;
  private static Path model;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(System.getenv("GANTRY_LLAMA_SERVER") != null, "GANTRY_LLAMA_SERVER is not set (scripts/test.sh sets it)");
    dir = TestFiles.tempDir("gantry-failover-");
    model = TestModels.deterministic(dir.resolve("deterministic.gguf"));
    nodes = TestNodes.startWith(3, "--reschedule-grace", "2");
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
      TestFiles.deleteRecursively(dir);
    }
  }

  private static JsonArray instances(Api api) {
    return Api.expect(api.get("/v2/model-instances?model_name=spread"), 200).getJsonArray("items");
  }

  @Test
  void spreadsReplicasAndSurvivesTheLossOfTwoNodesIncludingWhicheverLed() {
    Api admin = nodes.admin(1);
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", "spread").put("backend", "llama.cpp")
        .put("local_path", model.toString()).put("replicas", 3)), 201);
    Eventually.await(Duration.ofSeconds(60), () -> {
      JsonArray all = instances(admin);
      assertThat(all).hasSize(3);
      assertThat(all.stream().map(o -> ((JsonObject) o).getString("node_name")).distinct().count())
          .as("spread puts one replica on each node").isEqualTo(3);
      assertThat(all.stream().map(o -> ((JsonObject) o).getString("state"))).containsOnly("running");
    });

    nodes.crashNode(1);
    nodes.crashNode(2);
    Api survivor = nodes.admin(3);
    Api.expect(survivor.patch("/v2/models/spread", new JsonObject().put("replicas", 2)), 200);
    Eventually.await(Duration.ofSeconds(60), () -> {
      JsonArray all = instances(survivor);
      assertThat(all).hasSize(2);
      assertThat(all.stream().map(o -> ((JsonObject) o).getString("node_name"))).containsOnly(nodes.name(3));
      assertThat(all.stream().map(o -> ((JsonObject) o).getString("state"))).containsOnly("running");
    });
  }
}
