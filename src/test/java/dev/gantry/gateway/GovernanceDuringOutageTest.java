package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Ids;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import dev.gantry.testing.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Access, rate limits and quotas are enforced from cluster state: they hold while PostgreSQL is stopped. */
class GovernanceDuringOutageTest {

  private static TestPostgres postgres;
  private static TestNodes nodes;
  private static Path engineFiles;

  @BeforeAll
  static void startNodeOnItsOwnDatabase() {
    postgres = TestPostgres.start();
    nodes = TestNodes.start(1, postgres.url("postgres"), "govout");
    engineFiles = GatewayTestNode.writeTestEngineFiles();
  }

  @AfterAll
  static void stopAll() {
    if (nodes != null) {
      nodes.close();
    }
    if (postgres != null) {
      postgres.close();
    }
    TestFiles.deleteRecursively(engineFiles);
  }

  @Test
  void limitsAndQuotasHoldWhilePostgresIsDown() {
    Api admin = nodes.admin(1);
    String model = "out-" + Ids.random(6);
    Api.expect(admin.post("/v2/models", GatewayTestNode.testEngineSpec(model, engineFiles).put("replicas", 1)), 201);
    Eventually.await(Duration.ofSeconds(60), () -> assertThat(Api.expect(admin.get("/v2/model-instances?model_name="
        + model), 200).getJsonArray("items").getJsonObject(0).getString("state")).isEqualTo("running"));
    Api limited = nodes.api(1).withKey(admin.createKey(new JsonObject().put("name", "rpm-" + Ids.random(6))
        .put("limits", new JsonObject().put("requests_per_minute", 3).put("window_seconds", 3600))).getString("value"));
    Api quota = nodes.api(1).withKey(admin.createKey(new JsonObject().put("name", "quota-" + Ids.random(6))
        .put("limits", new JsonObject().put("tokens_per_day", 1))).getString("value"));
    Api narrow = nodes.api(1).withKey(admin.createKey(new JsonObject().put("name", "narrow-" + Ids.random(6))
        .put("allowed_models", new JsonArray().add("another-model"))).getString("value"));

    postgres.stop();
    try {
      Eventually.await(Duration.ofSeconds(10), () -> assertThat(nodes.api(1).get("/health/ready").status()).isEqualTo(503));
      for (int i = 0; i < 3; i++) {
        assertThat(limited.post("/v1/chat/completions", chat(model)).status()).isEqualTo(200);
      }
      Api.Response refused = limited.post("/v1/chat/completions", chat(model));
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.json().getJsonObject("error").getString("code")).isEqualTo("rate_limit_exceeded");
      assertThat(refused.header("x-ratelimit-remaining-requests")).hasValue("0");

      assertThat(quota.post("/v1/chat/completions", chat(model)).status()).isEqualTo(200);
      Api.Response spent = quota.post("/v1/chat/completions", chat(model));
      assertThat(spent.status()).isEqualTo(429);
      assertThat(spent.json().getJsonObject("error").getString("code")).isEqualTo("insufficient_quota");

      assertThat(narrow.post("/v1/chat/completions", chat(model)).status()).isEqualTo(404);
    } finally {
      postgres.restart();
    }
  }

  private static JsonObject chat(String model) {
    return new JsonObject().put("model", model).put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "Hi")));
  }
}
