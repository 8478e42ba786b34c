package dev.gantry.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Ids;
import dev.gantry.testing.Api;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import dev.gantry.testmodels.TestModels;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A node started with --hf-endpoint / --modelscope-endpoint resolves hub models that name no endpoint there. */
@DisplayName("--hf-endpoint and --modelscope-endpoint are the default hub endpoints of a node")
class HubEndpointFlagTest {

  private static FakeHub hub;
  private static FakeHub other;
  private static TestNodes nodes;
  private static Api admin;
  private static String repo;
  private static Path dir;

  @BeforeAll
  static void start() throws Exception {
    dir = TestFiles.tempDir("gantry-hub-flags-");
    byte[] gguf = Files.readAllBytes(TestModels.deterministic(dir.resolve("tiny.gguf")));
    hub = new FakeHub();
    other = new FakeHub();
    repo = "gantry-" + Ids.random(6) + "/Flag-GGUF";
    hub.add(repo, "feedfacefeedfacefeedfacefeedfacefeedface", Map.of("flag-Q8_0.gguf", gguf), false);
    other.add(repo, "0badc0de0badc0de0badc0de0badc0de0badc0de", Map.of("other-Q8_0.gguf", gguf), false);
    nodes = TestNodes.startWith(1, "--hf-endpoint", hub.endpoint() + "/", "--modelscope-endpoint", hub.endpoint());
    admin = nodes.admin(1);
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
    hub.close();
    other.close();
    TestFiles.deleteRecursively(dir);
  }

  @Test
  void aHuggingFaceModelWithoutEndpointResolvesAtTheFlaggedHub() {
    JsonObject created = create(new JsonObject().put("source", "huggingface"));

    assertThat(created.getJsonObject("resolved").getString("endpoint")).isEqualTo(hub.endpoint());
    assertThat(created.getJsonObject("resolved").getString("commit")).isEqualTo("feedfacefeedfacefeedfacefeedfacefeedface");
  }

  @Test
  void aModelScopeModelWithoutEndpointResolvesAtTheFlaggedHub() {
    JsonObject created = create(new JsonObject().put("source", "modelscope"));

    assertThat(created.getJsonObject("resolved").getString("endpoint")).isEqualTo(hub.endpoint());
  }

  @Test
  void aModelsOwnEndpointStillWins() {
    JsonObject created = create(new JsonObject().put("source", "huggingface").put("hub_endpoint", other.endpoint()));

    assertThat(created.getJsonObject("resolved").getString("endpoint")).isEqualTo(other.endpoint());
    assertThat(created.getJsonObject("resolved").getString("commit")).isEqualTo("0badc0de0badc0de0badc0de0badc0de0badc0de");
  }

  private static JsonObject create(JsonObject source) {
    String name = "flag-" + Ids.random(6).toLowerCase();
    return Api.expect(admin.post("/v2/models", source.put("name", name).put("repo", repo).put("file", "*.gguf")
        .put("backend", "builtin").put("replicas", 0)), 201);
  }
}
