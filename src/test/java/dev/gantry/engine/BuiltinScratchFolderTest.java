package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The builtin engine unpacks llama.cpp's native library and its demo model into its temporary folder; an
 * engine killed hard cannot delete them. That folder is the instance's own, inside the node's data folder:
 * the next start empties it and removing the instance deletes it, so nothing piles up in {@code /tmp}.
 */
class BuiltinScratchFolderTest {

  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static TestNodes nodes;
  private static Api admin;

  @BeforeAll
  static void start() {
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
  void aBuiltinEngineKilledHardLeavesItsFilesInItsOwnFolderWhichTheNextStartEmptiesAndRemovalDeletes()
      throws IOException {
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", "scratch-chat").put("source", "builtin")
        .put("builtin_model", "gantry-tiny-chat")), 201);
    JsonObject before = running(-1);
    Path work = nodes.dataDir(1).resolve("engine-work").resolve(before.getString("name"));
    Path scratch = work.resolve(Backends.SCRATCH);
    ProcessHandle engine = engine(before);
    assertThat(commandLine(engine)).contains("-Djava.io.tmpdir=" + scratch);
    assertThat(names(scratch)).as("what the engine unpacked").anyMatch(n -> n.startsWith("gantry-jllama-"))
        .anyMatch(n -> n.startsWith("gantry-tiny-chat-"));
    Path left = Files.writeString(scratch.resolve("left-by-the-killed-engine"), "x");

    engine.destroyForcibly();
    JsonObject after = running(before.getLong("pid"));
    assertThat(after.getInteger("restart_count")).isEqualTo(1);
    assertThat(left).as("the next start empties the folder").doesNotExist();
    assertThat(names(scratch)).as("what the new engine unpacked").filteredOn(n -> n.startsWith("gantry-jllama-"))
        .hasSize(1);
    ProcessHandle restarted = engine(after);

    assertThat(admin.delete("/v2/models/scratch-chat").status()).isEqualTo(204);
    Eventually.await(DEADLINE, () -> assertThat(work).as("removing the instance deletes its folder").doesNotExist());
    Eventually.await(DEADLINE, () -> assertThat(restarted.isAlive()).isFalse());
  }

  /** The model's one instance once it is running with an engine other than {@code oldPid}'s. */
  private static JsonObject running(long oldPid) {
    JsonObject[] found = new JsonObject[1];
    Eventually.await(DEADLINE, () -> {
      JsonArray items = Api.expect(admin.get("/v2/model-instances?model_name=scratch-chat"), 200).getJsonArray("items");
      assertThat(items).hasSize(1);
      JsonObject instance = items.getJsonObject(0);
      assertThat(instance.getString("state")).as("%s", instance).isEqualTo("running");
      assertThat(instance.getLong("pid")).isNotEqualTo(oldPid);
      found[0] = instance;
    });
    return found[0];
  }

  /** The engine's JVM: the child of the watcher whose pid the instance reports (or that process itself). */
  private static ProcessHandle engine(JsonObject instance) {
    ProcessHandle watcher = ProcessHandle.of(instance.getLong("pid")).orElseThrow();
    return watcher.children().filter(c -> c.info().command().orElse("").endsWith("java")).findFirst().orElse(watcher);
  }

  /** The process's arguments as Linux keeps them ({@code ProcessHandle.Info} gives none for a long command line). */
  private static List<String> commandLine(ProcessHandle process) throws IOException {
    return List.of(Files.readString(Path.of("/proc", String.valueOf(process.pid()), "cmdline")).split("\0"));
  }

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }
}
