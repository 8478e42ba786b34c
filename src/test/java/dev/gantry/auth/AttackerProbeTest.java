package dev.gantry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gantry.common.Ids;
import dev.gantry.model.ModelSpecs;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.SseClient;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * An attacker's look at the newer routes, as a plain user who may read them: what an admin put into a tuning
 * run, a benchmark or a measured catalog spec (engine environment, flags, commands, paths) must not come back
 * to them. {@link AttackerInputProbeTest} sends hostile input.
 */
@DisplayName("attacker probes: what a plain user reads of runs, benchmarks and the catalog")
class AttackerProbeTest {

  private static final Duration RUN = Duration.ofSeconds(180);
  private static TestNodes nodes;
  private static Api admin;
  private static Api user;
  private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeAll
  static void start() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    logs.start();
    nodes = TestNodes.start(1);
    admin = nodes.admin(1);
    String name = "prober-" + Ids.random(5).toLowerCase();
    admin.createUser(name, "prober-password-1", "user");
    user = nodes.api(1).login(name, "prober-password-1");
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  @DisplayName("a tuning run's model form (env, flags) and its winner's measured spec show only to admins")
  void tuningRunsAndMeasuredSpecsHideAdminFields() {
    String envSecret = "env-secret-" + Ids.random(8).toLowerCase();
    String gridSecret = "grid-secret-" + Ids.random(8).toLowerCase();
    String family = "probe-" + Ids.random(5).toLowerCase();
    JsonObject model = new JsonObject().put("source", "builtin").put("builtin_model", "gantry-tiny-chat").put("backend", "builtin")
        .put("env", new JsonObject().put("PROBE_TOKEN", envSecret))
        .put("backend_parameters", new JsonArray().add("--token-delay-ms").add("0"));
    String id;
    try (SseClient watch = SseClient.watch(user, "/v2/tuning-runs")) {
      id = Api.expect(admin.post("/v2/tuning-runs", new JsonObject().put("family", family).put("model", model)
          .put("grid", new JsonObject().put("env", new JsonArray().add(new JsonObject().put("PROBE_GRID", gridSecret))))
          .put("profile", new JsonObject().put("requests", 1).put("max_tokens", 2))), 202).getString("id");
      watch.awaitEvent(e -> id.equals(e.item("id")), RUN);
      JsonObject ended = awaitEnd(id);
      assertThat(ended.encode()).as("an admin still reads the whole run").contains(envSecret, gridSecret);
      assertThat(ended.getString("state")).as(ended.encodePrettily()).isEqualTo("completed");
      watch.awaitEvent(e -> id.equals(e.item("id")) && "completed".equals(e.item("state")), RUN);
      assertThat(watch.received().toString()).as("the user's watch stream").doesNotContain(envSecret, gridSecret, "PROBE_");
    }

    String one = user.get("/v2/tuning-runs/" + id).body();
    assertThat(one).contains(id).doesNotContain(envSecret, gridSecret, "backend_parameters");
    assertThat(user.get("/v2/tuning-runs").body()).contains(id).doesNotContain(envSecret, gridSecret, "backend_parameters");

    assertThat(Api.expect(admin.get("/v2/catalog?all=true"), 200).encode()).as("the measured spec, to an admin")
        .contains(family, envSecret);
    String catalog = Api.expect(user.get("/v2/catalog?all=true"), 200).encode();
    assertThat(catalog).contains(family).doesNotContain(envSecret, gridSecret, "PROBE_");
    assertThat(logs.list).allSatisfy(event -> assertThat(event.getFormattedMessage()).doesNotContain(envSecret, gridSecret));
  }

  @Test
  @DisplayName("a benchmark's serving settings show engine flags only to admins")
  void benchmarksHideEngineFlags() {
    String name = "probe-bench-" + Ids.random(5).toLowerCase();
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", name).put("source", "builtin")
        .put("builtin_model", "gantry-tiny-chat").put("backend_parameters", new JsonArray().add("--token-delay-ms").add("0"))
        .put("autoscale", new JsonObject().put("min", 0).put("max", 1))), 201);
    String id = Api.expect(admin.post("/v2/benchmarks", new JsonObject().put("model", name)
        .put("profile", new JsonObject().put("requests", 1).put("max_tokens", 2))), 202).getString("id");

    assertThat(Api.expect(admin.get("/v2/benchmarks/" + id), 200).getJsonObject("spec").getJsonArray("backend_parameters"))
        .as("an admin reads the flags").isNotEmpty();
    JsonObject seen = Api.expect(user.get("/v2/benchmarks/" + id), 200);
    assertThat(seen.getJsonObject("spec").fieldNames()).isNotEmpty().doesNotContainAnyElementsOf(ModelSpecs.ADMIN_FIELDS);
    JsonObject listed = Api.expect(user.get("/v2/benchmarks?model=" + name), 200).getJsonArray("items").getJsonObject(0);
    assertThat(listed.getString("id")).isEqualTo(id);
    assertThat(listed.getJsonObject("spec").fieldNames()).doesNotContainAnyElementsOf(ModelSpecs.ADMIN_FIELDS);
    admin.delete("/v2/benchmarks/" + id);
  }

  @Test
  @DisplayName("provider and pool credentials and the cluster secret are in no answer and no log line, also after a failed call")
  void credentialsAreInNoAnswerAndNoLog() {
    String providerKey = "sk-probe-" + Ids.random(12);
    String poolToken = "dop-probe-" + Ids.random(12);
    String provider = "probe-" + Ids.random(5).toLowerCase();
    Api.expect(admin.post("/v2/providers", new JsonObject().put("name", provider).put("kind", "openai")
        .put("base_url", "http://127.0.0.1:9/v1").put("credentials", new JsonArray().add(providerKey))
        .put("models", new JsonArray().add("m"))), 201);
    String pool = "probe-" + Ids.random(5).toLowerCase();
    Api.expect(admin.post("/v2/worker-pools", new JsonObject().put("name", pool).put("provider", "digitalocean")
        .put("endpoint", "http://127.0.0.1:1").put("credentials", new JsonObject().put("token", poolToken))
        .put("region", "nyc3").put("image", "img").put("instance_types", new JsonArray()
            .add(new JsonObject().put("name", "s-1vcpu-1gb")))), 201);
    Api.Response failed = admin.post("/v1/chat/completions", new JsonObject().put("model", provider + "/m")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))));
    assertThat(failed.status()).as(failed.toString()).isGreaterThanOrEqualTo(500);

    StringBuilder answers = new StringBuilder(failed.body());
    for (String path : new String[] {"/v2/providers", "/v2/providers/" + provider, "/v2/worker-pools", "/v2/worker-pools/" + pool,
        "/v2/worker-pools/" + pool + "/events", "/v2/routes", "/v2/models", "/v2/nodes", "/v2/catalog?all=true"}) {
      answers.append(admin.get(path).body()).append(user.get(path).body());
    }
    assertThat(answers.toString()).doesNotContain(providerKey, poolToken, nodes.clusterSecret);
    assertThat(logs.list).as("the node's log lines are captured").isNotEmpty();
    assertThat(logs.list).allSatisfy(event -> assertThat(event.getFormattedMessage()
        + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage()))
        .doesNotContain(providerKey, poolToken, nodes.clusterSecret));
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
