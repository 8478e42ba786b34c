package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A node whose llama-server cannot be found says so in its record, and a llama.cpp model then waits
 * as pending with how to install it, instead of starting an engine that exits 127 again and again.
 */
class MissingEngineTest {

  private static TestNodes nodes;
  private static Path dir;

  @BeforeAll
  static void start() throws Exception {
    dir = TestFiles.tempDir("gantry-missing-engine-");
    nodes = TestNodes.startWith(1, "--llama-server", dir.resolve("no-such-llama-server").toString());
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
    TestFiles.deleteRecursively(dir);
  }

  @Test
  void aLlamaCppModelWaitsWithInstallAdviceAndNoEngineStarts() throws Exception {
    Path model = TestModels.deterministic(dir.resolve("deterministic.gguf"));
    Api admin = nodes.admin(1);
    JsonObject node = Api.expect(admin.get("/v2/nodes/" + nodes.name(1)), 200);
    assertThat(node.getJsonArray("backends")).containsExactly("builtin", "custom");

    Api.expect(admin.post("/v2/models", new JsonObject().put("name", "needs-llama").put("backend", "llama.cpp")
        .put("local_path", model.toString())), 201);
    Eventually.await(Duration.ofSeconds(20), () -> {
      JsonArray items = Api.expect(admin.get("/v2/model-instances?model_name=needs-llama"), 200).getJsonArray("items");
      assertThat(items).singleElement().satisfies(i -> {
        JsonObject instance = (JsonObject) i;
        assertThat(instance.getString("state")).isEqualTo("pending");
        assertThat(instance.getString("state_message")).contains("cannot start a llama.cpp engine")
            .contains("scripts/llama-server.sh");
        assertThat(instance.getInteger("restart_count")).isZero();
        assertThat(instance.getValue("pid")).isNull();
      });
    });

    Api.expect(admin.post("/v2/models", new JsonObject().put("name", "builtin-instead").put("backend", "builtin")
        .put("local_path", model.toString())), 201);
    Eventually.await(Duration.ofSeconds(60), () -> assertThat(Api.expect(
        admin.get("/v2/model-instances?model_name=builtin-instead"), 200).getJsonArray("items"))
        .singleElement().satisfies(i -> assertThat(((JsonObject) i).getString("state")).isEqualTo("running")));
  }
}
