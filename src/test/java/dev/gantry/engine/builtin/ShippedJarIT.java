package dev.gantry.engine.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gantry.testing.GantryProcess;
import dev.gantry.testing.TestFiles;
import dev.gantry.testmodels.TestModels;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the build ships: {@code gantry.jar} stays small, carries the natives of Linux x86_64 (the supported
 * platform) and no others, and its builtin engine runs GGUF (java-llama.cpp) and the bundled ONNX model
 * (ONNX Runtime, its graph in {@code models/all-minilm-l6-v2.jar} beside the jar) from the jar alone.
 */
@DisplayName("The shipped jar: at most 80 MB, Linux x86_64 natives, a builtin engine that runs from it")
class ShippedJarIT {

  static final long MAX_BYTES = 80_000_000L;
  static final List<String> LINUX_X86_64_NATIVES = List.of(
      "postgres-linux-x86_64.txz",
      "ai/onnxruntime/native/linux-x64/libonnxruntime.so",
      "ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so",
      "de/kherud/llama/Linux/x86_64/libjllama.so",
      "com/sun/jna/linux-x86-64/libjnidispatch.so",
      "META-INF/native/libnetty_transport_native_epoll_x86_64.so",
      "META-INF/native/libnetty_transport_native_io_uring42_x86_64.so");
  /** Native libraries are .so/.dll/.dylib/.jnilib/.a files and the PostgreSQL archives. */
  private static final Pattern NATIVE = Pattern.compile(".*\\.(so|dll|dylib|jnilib|a|pdb|txz)$");
  /** Hazelcast's tiny helpers in lib/linux-*: not worth a filter of their own. */
  private static final Pattern TOLERATED = Pattern.compile("lib/linux-x86(_64)?/lib\\w+_helper\\.so");

  private static Path workDir;

  @BeforeAll
  static void workDir() throws Exception {
    workDir = TestFiles.tempDir("gantry-shipped-");
  }

  @AfterAll
  static void clean() {
    TestFiles.deleteRecursively(workDir);
  }

  @Test
  void isAtMost80MbWithTheLinuxX8664NativesAndNoOthers() throws Exception {
    Path jar = GantryProcess.jar();
    assertThat(Files.size(jar)).as("size of %s", jar).isLessThanOrEqualTo(MAX_BYTES);
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      List<String> natives = Collections.list(zip.entries()).stream().map(ZipEntry::getName)
          .filter(name -> NATIVE.matcher(name).matches()).toList();
      assertThat(natives).containsAll(LINUX_X86_64_NATIVES);
      assertThat(natives).allMatch(name -> LINUX_X86_64_NATIVES.contains(name) || TOLERATED.matcher(name).matches(),
          "is a Linux x86_64 native");
    }
    try (ZipFile model = new ZipFile(jar.resolveSibling("models").resolve("all-minilm-l6-v2.jar").toFile())) {
      assertThat(model.getEntry("all-minilm-l6-v2.onnx").getSize()).isGreaterThan(80_000_000L);
    }
  }

  @Test
  void itsBuiltinEngineAnswersAChatFromAGgufModel() throws Exception {
    Path gguf = TestModels.deterministic(workDir.resolve("deterministic.gguf"));
    try (ChildEngine engine = fromJar("--model", gguf.toString(), "--port", "0", "--model-name", "det",
        "--ctx-size", "256", "--threads", "1")) {
      HttpResponse<String> reply = engine.post("/v1/chat/completions",
          "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":16}");

      assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
      assertThat(ChildEngine.json(reply).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
          .getString("content")).isEqualTo(TestModels.REPLY);
    }
  }

  @Test
  void itsBuiltinEngineEmbedsWithTheBundledModel() throws Exception {
    try (ChildEngine engine = fromJar("--model", "builtin:all-minilm-l6-v2", "--port", "0", "--model-name", "minilm",
        "--threads", "1")) {
      HttpResponse<String> reply = engine.post("/v1/embeddings",
          "{\"input\":\"The quick brown fox jumps over the lazy dog.\"}");

      assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
      JsonObject first = ChildEngine.json(reply).getJsonArray("data").getJsonObject(0);
      assertThat(first.getJsonArray("embedding")).hasSize(384);
      assertThat(first.getJsonArray("embedding").getDouble(0)).isCloseTo(0.0439, within(1e-3));
    }
  }

  private static ChildEngine fromJar(String... args) throws Exception {
    return ChildEngine.startFrom(GantryProcess.jar().toAbsolutePath().toString(), args).awaitReady(Duration.ofSeconds(120));
  }
}
