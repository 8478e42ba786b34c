package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestFiles;
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
 * Engines as one real node's supervisor runs them: what a starting engine shows while it loads, and what an
 * engine killed hard leaves behind.
 */
class EngineOnANodeTest {

  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static TestNodes nodes;
  private static Api admin;
  private static Path dir;

  @BeforeAll
  static void start() {
    nodes = TestNodes.start(1);
    admin = nodes.admin(1);
    dir = TestFiles.tempDir("gantry-engine-node-");
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
    TestFiles.deleteRecursively(dir);
  }

  /**
   * An engine that takes minutes to load (vLLM with a large model) used to show "waiting for /health to answer"
   * all along; now the message says for how long and what the engine last wrote: a progress bar's last redraw
   * ({@code EngineLogFilesTest} covers the key blanked out and colour codes left out).
   */
  @Test
  void aStartingEngineShowsHowLongItHasWaitedAndTheLastLineItsLogHas() throws IOException {
    Path script = Files.writeString(dir.resolve("slow-engine.sh"), String.join("\n", "#!/bin/sh",
        "echo 'loading the weights'",
        "printf 'Loading shards:  25%% 1/4\\rLoading shards:  50%% 2/4\\r'",
        "exec sleep 600", ""));
    assertThat(script.toFile().setExecutable(true)).isTrue();
    Path file = Files.writeString(dir.resolve("slow.model"), "weights");
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", "slow-start").put("backend", "custom")
        .put("run_command", script + " {{port}}").put("local_path", file.toString())
        .put("estimate_override_bytes", 1L << 20)), 201);

    Eventually.await(DEADLINE, () -> {
      JsonObject instance = instances("slow-start").getJsonObject(0);
      assertThat(instance.getString("state")).isEqualTo("starting");
      assertThat(instance.getString("state_message"))
          .matches("engine started \\(pid \\d+\\) \\d+ s ago, waiting for /health to answer; its log: "
              + "Loading shards:  50% 2/4");
    });
    assertThat(admin.delete("/v2/models/slow-start").status()).isEqualTo(204);
    Eventually.await(DEADLINE, () -> assertThat(instances("slow-start")).isEmpty());
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
      JsonArray items = instances("scratch-chat");
      assertThat(items).hasSize(1);
      JsonObject instance = items.getJsonObject(0);
      assertThat(instance.getString("state")).as("%s", instance).isEqualTo("running");
      assertThat(instance.getLong("pid")).isNotEqualTo(oldPid);
      found[0] = instance;
    });
    return found[0];
  }

  private static JsonArray instances(String model) {
    return Api.expect(admin.get("/v2/model-instances?model_name=" + model), 200).getJsonArray("items");
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
