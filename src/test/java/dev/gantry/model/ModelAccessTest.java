package dev.gantry.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Api.Response;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.SseClient;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Models say how commands run on every node, so only admins write them, and plain users read them
 * without {@code env}, {@code run_command}, {@code backend_parameters} and {@code local_path} — in lists,
 * single reads and watch streams alike. Engine logs (other users' prompts) are for admins only.
 */
@DisplayName("model access for plain users")
class ModelAccessTest {

  private static final List<String> HIDDEN = List.of("env", "run_command", "backend_parameters", "local_path");
  private static TestNodes nodes;
  private static Path dir;
  private static Api admin;
  private static Api user;
  private static Api userKey;
  private static JsonObject model;
  private static String instanceId;

  @BeforeAll
  static void setUp() throws Exception {
    nodes = TestNodes.start(1);
    dir = TestFiles.tempDir("gantry-model-access-");
    admin = nodes.admin(1);
    String username = unique("plain");
    admin.createUser(username, "plain-password", "user");
    user = nodes.api(1).login(username, "plain-password");
    userKey = nodes.api(1).withKey(user.createKey(unique("k"), "management").getString("value"));
    Path file = Files.writeString(dir.resolve("idle.model"), "not a real model");
    model = Api.expect(admin.post("/v2/models", new JsonObject().put("name", unique("secretive")).put("backend", "custom")
        .put("run_command", "sleep 600").put("env", new JsonObject().put("API_TOKEN", "do-not-show"))
        .put("backend_parameters", new JsonArray().add("--token=hidden")).put("local_path", file.toString())
        .put("replicas", 1).put("estimate_override_bytes", 1L << 20)), 201);
    Eventually.await(Duration.ofSeconds(30), () -> assertThat(instances()).hasSize(1));
    instanceId = instances().get(0).getString("id");
  }

  @AfterAll
  static void tearDown() {
    if (nodes != null) {
      nodes.close();
    }
    if (dir != null) {
      TestFiles.deleteRecursively(dir);
    }
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static List<JsonObject> instances() {
    return Api.expect(admin.get("/v2/model-instances"), 200).getJsonArray("items").stream()
        .map(JsonObject.class::cast).toList();
  }

  private static List<String> modelNames() {
    return Api.expect(admin.get("/v2/models"), 200).getJsonArray("items").stream()
        .map(item -> ((JsonObject) item).getString("name")).toList();
  }

  static Stream<Arguments> modelsOnlyAdminsMayCreate() {
    String file = "/opt/models/any.gguf";
    return Stream.of(
        Arguments.of("a custom backend", new JsonObject().put("backend", "custom").put("run_command", "sh -c 'id > /tmp/pwned'")
            .put("local_path", file)),
        Arguments.of("env", new JsonObject().put("builtin_model", "all-minilm-l6-v2")
            .put("env", new JsonObject().put("LD_PRELOAD", "/tmp/evil.so"))),
        Arguments.of("backend_parameters", new JsonObject().put("backend", "llama.cpp").put("local_path", file)
            .put("backend_parameters", new JsonArray().add("--log-file=/etc/passwd"))),
        Arguments.of("local_path", new JsonObject().put("backend", "llama.cpp").put("local_path", file)),
        Arguments.of("nothing special", new JsonObject().put("builtin_model", "all-minilm-l6-v2")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modelsOnlyAdminsMayCreate")
  @DisplayName("a plain user (session or key) creating a model gets 403 and nothing is created or started")
  void plainUsersCannotCreateModels(String what, JsonObject spec) {
    String name = unique("attempt");
    List<String> modelsBefore = modelNames();
    List<JsonObject> instancesBefore = instances();

    Response bySession = user.post("/v2/models", spec.copy().put("name", name));
    Response byKey = userKey.post("/v2/models", spec.copy().put("name", name));

    assertThat(bySession.status()).as(bySession.toString()).isEqualTo(403);
    assertThat(bySession.json().getString("message")).contains("administrators");
    assertThat(byKey.status()).as(byKey.toString()).isEqualTo(403);
    assertThat(admin.get("/v2/models/" + name).status()).isEqualTo(404);
    assertThat(modelNames()).containsExactlyInAnyOrderElementsOf(modelsBefore);
    assertThat(instances()).extracting(i -> i.getString("id"))
        .containsExactlyInAnyOrderElementsOf(instancesBefore.stream().map(i -> i.getString("id")).toList());
  }

  @Test
  @DisplayName("a plain user can neither change, delete nor restart a model or its instances")
  void plainUsersCannotChangeModels() {
    String id = String.valueOf(model.getLong("id"));

    Response patch = user.patch("/v2/models/" + id, new JsonObject().put("run_command", "sh -c 'id'"));
    Response put = user.send("PUT", "/v2/models/" + id, "application/json",
        new JsonObject().put("env", new JsonObject().put("PATH", "/tmp")).encode().getBytes());
    Response delete = user.delete("/v2/models/" + id);
    Response deleteInstance = userKey.delete("/v2/model-instances/" + instanceId);

    assertThat(List.of(patch.status(), put.status(), delete.status(), deleteInstance.status())).containsOnly(403);
    JsonObject after = Api.expect(admin.get("/v2/models/" + id), 200);
    assertThat(after.getString("run_command")).isEqualTo("sleep 600");
    assertThat(after.getJsonObject("env")).isEqualTo(new JsonObject().put("API_TOKEN", "do-not-show"));
    assertThat(instances()).extracting(i -> i.getString("id")).containsExactly(instanceId);
  }

  @Test
  @DisplayName("plain users read models without env, run_command, backend_parameters and local_path; admins see them")
  void plainUsersReadRedactedModels() {
    String id = String.valueOf(model.getLong("id"));

    JsonObject listed = find(Api.expect(user.get("/v2/models"), 200).getJsonArray("items"));
    JsonObject listedByKey = find(Api.expect(userKey.get("/v2/models"), 200).getJsonArray("items"));
    JsonObject single = Api.expect(user.get("/v2/models/" + id), 200);
    JsonObject byName = Api.expect(userKey.get("/v2/models/" + model.getString("name")), 200);
    JsonObject asAdmin = Api.expect(admin.get("/v2/models/" + id), 200);

    for (JsonObject seen : List.of(listed, listedByKey, single, byName)) {
      assertThat(seen.fieldNames()).doesNotContainAnyElementsOf(HIDDEN).contains("name", "backend", "replicas");
      assertThat(seen.encode()).doesNotContain("do-not-show", "--token=hidden", "sleep 600", dir.toString());
    }
    assertThat(asAdmin.fieldNames()).containsAll(HIDDEN);
    assertThat(find(Api.expect(admin.get("/v2/models"), 200).getJsonArray("items")).fieldNames()).containsAll(HIDDEN);
  }

  @Test
  @DisplayName("a plain user's model watch shows the same redacted models, in the snapshot and in live changes")
  void plainUsersWatchRedactedModels() {
    try (SseClient watch = SseClient.watch(user, "/v2/models?watch=true")) {
      SseClient.Event created = watch.awaitEvent(e -> "CREATED".equals(e.event())
          && model.getString("name").equals(e.json().getString("name")), Duration.ofSeconds(10));
      String description = unique("described");
      Api.expect(admin.patch("/v2/models/" + model.getLong("id"), new JsonObject().put("description", description)), 200);
      SseClient.Event updated = watch.awaitEvent(e -> description.equals(e.json().getString("description")),
          Duration.ofSeconds(10));

      for (SseClient.Event event : List.of(created, updated)) {
        assertThat(event.json().fieldNames()).doesNotContainAnyElementsOf(HIDDEN).contains("name", "backend");
        assertThat(event.data()).doesNotContain("do-not-show", "--token=hidden", "sleep 600");
      }
    }
  }

  @Test
  @DisplayName("instance logs are for admins only: 403 for a plain user's session and key")
  void logsAreAdminOnly() {
    Response bySession = user.get("/v2/model-instances/" + instanceId + "/logs?tail=10");
    Response byKey = userKey.get("/v2/model-instances/" + instanceId + "/logs?tail=10");
    Response byAdmin = admin.get("/v2/model-instances/" + instanceId + "/logs?tail=10");

    assertThat(bySession.status()).isEqualTo(403);
    assertThat(bySession.json().getString("message")).contains("administrators");
    assertThat(byKey.status()).isEqualTo(403);
    assertThat(byAdmin.status()).as(byAdmin.toString()).isNotIn(401, 403).isLessThan(500);
    assertThat(Api.expect(user.get("/v2/model-instances/" + instanceId), 200).getString("model_name"))
        .isEqualTo(model.getString("name"));
  }

  private static JsonObject find(JsonArray items) {
    return items.stream().map(JsonObject.class::cast).filter(m -> model.getString("name").equals(m.getString("name")))
        .findFirst().orElseThrow(() -> new AssertionError("model " + model.getString("name") + " not listed: " + items));
  }
}
