package dev.gantry.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A schedule whose window is open now sets the replicas; closing it (removing the rule) brings back the base. */
class ScheduledReplicasTest {

  private static TestNodes nodes;

  @BeforeAll
  static void start() {
    nodes = TestNodes.start(1);
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  private static JsonArray instances(Api admin) {
    return Api.expect(admin.get("/v2/model-instances?model_name=scheduled"), 200).getJsonArray("items");
  }

  @Test
  void anOpenWindowSetsTheReplicasAndBadRulesAreRefused() {
    Api admin = nodes.admin(1);
    JsonObject always = new JsonObject().put("days", "daily").put("from", "00:00").put("to", "00:00").put("replicas", 2);
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", "scheduled").put("source", "builtin")
        .put("builtin_model", "all-minilm-l6-v2").put("replicas", 0).put("schedules", new JsonArray().add(always))), 201);
    Eventually.await(Duration.ofSeconds(20), () -> assertThat(instances(admin)).hasSize(2));

    Api.expect(admin.patch("/v2/models/scheduled", new JsonObject().put("schedules", new JsonArray())), 200);
    Eventually.await(Duration.ofSeconds(20), () -> assertThat(instances(admin)).isEmpty());

    Api.Response refused = admin.patch("/v2/models/scheduled", new JsonObject().put("schedules", new JsonArray()
        .add(always.copy().put("time_zone", "Mars/Olympus"))));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body()).contains("IANA zone");
    assertThat(Api.expect(admin.get("/v2/models/scheduled"), 200).getJsonArray("schedules")).isEmpty();
  }
}
