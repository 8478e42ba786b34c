package dev.gantry.engine.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testmodels.TestModels;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the engine process starts, refuses models it cannot serve, and ends, as the node agent sees it. */
class BuiltinEngineLifecycleTest {

  @TempDir
  Path dir;

  @Test
  void exitsWithCode2AndOneErrorLineWhenTheModelFileIsMissing() throws Exception {
    Path missing = dir.resolve("absent.gguf");

    try (ChildEngine engine = ChildEngine.start("--model", missing.toString(), "--port", "0", "--model-name", "m")) {
      assertThat(engine.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(engine.stderr()).containsExactly("error: model file " + missing + " does not exist");
    }
  }

  @Test
  void exitsWithCode1AndSaysWhereWhenLlamaCppsNativeLibraryCannotBeLoaded() throws Exception {
    // a folder the library cannot be unpacked into fails the load as a noexec mount does: UnsatisfiedLinkError
    Path notAFolder = Files.writeString(dir.resolve("not-a-folder"), "x");
    Path gguf = TestModels.deterministic(dir.resolve("model.gguf"));

    try (ChildEngine engine = ChildEngine.startWithJvmOptions(List.of("-Dde.kherud.llama.tmpdir=" + notAFolder,
        "-Djava.io.tmpdir=" + dir), "--model", gguf.toString(), "--port", "0", "--model-name", "m")) {
      assertThat(engine.awaitExit(Duration.ofSeconds(60))).as("exits instead of serving nothing").isEqualTo(1);
      assertThat(engine.stderr()).anySatisfy(line -> assertThat(line)
          .startsWith("error: cannot load the engine's native library from " + dir + " (is its file system mounted"
              + " noexec? then give the node a --data-dir on one that allows running programs) [cause: "));
    }
  }

  @Test
  void exitsWithCode2WhenTheFileIsNotGguf() throws Exception {
    Path fake = Files.writeString(dir.resolve("fake.gguf"), "this is not a model");

    try (ChildEngine engine = ChildEngine.start("--model", fake.toString(), "--port", "0", "--model-name", "m")) {
      assertThat(engine.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(engine.stderr()).singleElement().asString()
          .startsWith("error: " + fake + " is not a valid GGUF file");
    }
  }

  @Test
  void exitsWithCode2WhenAnOnnxModelHasNoTokenizerBesideIt() throws Exception {
    Path onnx = Files.write(dir.resolve("model.onnx"), new byte[] {8, 7});

    try (ChildEngine engine = ChildEngine.start("--model", onnx.toString(), "--port", "0", "--model-name", "m")) {
      assertThat(engine.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(engine.stderr()).singleElement().asString()
          .startsWith("error: ONNX model " + onnx + " needs its Hugging Face tokenizer.json");
    }
  }

  @Test
  void exitsWithCode2WhenOnnxRuntimeRejectsTheGraph() throws Exception {
    Path onnx = Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3, 4});
    copyBundledTokenizer(dir.resolve("tokenizer.json"));

    try (ChildEngine engine = ChildEngine.start("--model", onnx.toString(), "--port", "0", "--model-name", "m")) {
      assertThat(engine.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
      assertThat(engine.stderr()).last().asString().startsWith("error: " + onnx + " is not a valid ONNX model: ");
    }
  }

  /** The node agent passes a derived key in GANTRY_API_KEY; one in 64 starts with '-', which picocli would refuse as an argument. */
  @Test
  void takesItsKeyFromTheEnvironmentEvenWhenItStartsWithADash() throws Exception {
    String key = "-Vl-T5Q7TtTQeNnWpO_PU9XuSFyl-lxGiLjoKtquWiM";
    try (ChildEngine engine = ChildEngine.startWithEnv(Map.of("GANTRY_API_KEY", key),
        "--model", "builtin:all-minilm-l6-v2", "--port", "0", "--model-name", "m").awaitReady(Duration.ofSeconds(60))) {

      assertThat(engine.get("/v1/models").statusCode()).isEqualTo(401);
      assertThat(engine.get("/v1/models", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
      HttpResponse<String> allowed = engine.get("/v1/models", "Authorization", "Bearer " + key);
      assertThat(allowed.statusCode()).isEqualTo(200);
      assertThat(allowed.body()).contains("\"m\"");
      assertThat(engine.stdout()).noneMatch(line -> line.contains(key));
      assertThat(engine.stderr()).noneMatch(line -> line.contains(key));
    }
  }

  @Test
  void stopsOnSigterm() throws Exception {
    try (ChildEngine engine = ChildEngine.start("--model", "builtin:all-minilm-l6-v2", "--port", "0", "--model-name",
        "m").awaitReady(Duration.ofSeconds(60))) {
      int exitCode = engine.terminate(Duration.ofSeconds(20));

      assertThat(exitCode).isEqualTo(128 + 15);
      assertThat(engine.stdout()).as("stderr: %s", engine.stderr()).contains("builtin engine stopped");
    }
  }

  private static void copyBundledTokenizer(Path target) throws IOException {
    try (var in = BuiltinEngineLifecycleTest.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
      Files.copy(in, target);
    }
  }
}
