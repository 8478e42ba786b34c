package dev.gantry.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.backend.StandInEngine;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node in container mode over a fake {@code docker} ({@link FakeDocker}, which runs the image's engine as a
 * {@link StandInEngine}): a vLLM model at the version an image provides is run as a container named after its
 * instance, with its port published on loopback, its files mounted read-only and its key only in a 0600 env
 * file; it answers a chat through the gateway; deleting the model stops and removes the container.
 */
class ContainerEngineLifecycleTest {

  /** What {@link StandInEngine} answers (its constant is package-private). */
  private static final String STAND_IN_REPLY = "Hello from the stand-in engine.";

  private static Path dir;
  private static Path weights;
  private static TestNodes nodes;
  private static Api admin;
  private static Api inference;

  @BeforeAll
  static void start() throws Exception {
    dir = TestFiles.tempDir("gantry-fake-docker-");
    Path docker = FakeDocker.install(dir);
    weights = Files.createDirectories(dir.resolve("weights/qwen"));
    Files.writeString(weights.resolve("config.json"), "{}");
    nodes = TestNodes.startWith(1, "--engine-runtime", "container", "--container-runtime", docker.toString(),
        "--container-image", "vllm:0.11.2=example.test/vllm:0.11.2");
    admin = nodes.admin(1);
    inference = nodes.api(1).withKey(admin.createKey("containers", "inference").getString("value"));
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
    TestFiles.deleteRecursively(dir);
  }

  private static JsonArray instances(String model) {
    return Api.expect(admin.get("/v2/model-instances?model_name=" + model), 200).getJsonArray("items");
  }

  @Test
  void aModelRunsAsAContainerOfItsVersionsImageAndItsDeletionRemovesTheContainer() throws Exception {
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", "boxed").put("backend", "vllm")
        .put("backend_version", "0.11.2").put("local_path", weights.toString()).put("estimate_override_bytes", 64L << 20)), 201);
    Eventually.await(Duration.ofSeconds(60), () -> assertThat(instances("boxed")).singleElement()
        .satisfies(i -> assertThat(((JsonObject) i).getString("state")).as("%s", i).isEqualTo("running")));
    JsonObject instance = instances("boxed").getJsonObject(0);

    Api.Response answer = inference.post("/v1/chat/completions", new JsonObject().put("model", "boxed")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))));
    assertThat(answer.status()).as("%s", answer).isEqualTo(200);
    assertThat(answer.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
        .isEqualTo(STAND_IN_REPLY);

    String name = "gantry-" + instance.getString("name");
    Path record = dir.resolve("state").resolve(name + ".json");
    JsonObject container = new JsonObject(Files.readString(record));
    int port = instance.getInteger("port");
    assertThat(container.getString("image")).isEqualTo("example.test/vllm:0.11.2");
    assertThat(container.getString("entrypoint")).isEqualTo("vllm");
    assertThat(container.getJsonArray("publish")).containsExactly("127.0.0.1:" + port + ":" + port);
    assertThat(container.getJsonArray("volume")).containsExactly(weights + ":" + weights + ":ro");
    assertThat(container.getJsonArray("args").getList()).containsSubsequence("serve", weights.toString(), "--host",
        "0.0.0.0", "--port", String.valueOf(port), "--served-model-name", "boxed");
    assertThat(container.getString("env_file_mode")).isEqualTo("rw-------");
    String key = container.getString("env_file").lines().filter(l -> l.startsWith("VLLM_API_KEY=")).findFirst()
        .orElseThrow().substring("VLLM_API_KEY=".length());
    assertThat(key).isNotBlank();
    assertThat(Files.readString(dir.resolve("state/calls.log"))).doesNotContain(key);
    long engine = container.getLong("pid");
    assertThat(ProcessHandle.of(engine)).isPresent();

    assertThat(admin.delete("/v2/models/boxed").status()).isEqualTo(204);
    Eventually.await(Duration.ofSeconds(30), () -> {
      assertThat(record).as("the container's record").doesNotExist();
      assertThat(ProcessHandle.of(engine).filter(ProcessHandle::isAlive)).as("the engine in the container").isEmpty();
      assertThat(Path.of(container.getString("env-file"))).as("the env file").doesNotExist();
    });
    assertThat(Files.readString(dir.resolve("state/calls.log")))
        .contains("stop --time 10 " + name + "\n").contains("rm --force " + name + "\n");
  }
}
