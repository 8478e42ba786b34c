package dev.gantry.engine.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.model.BuiltinModel;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resolving {@code --model} and reading GGUF headers, with the messages a person will read. */
class ModelSourceTest {

  @TempDir
  Path dir;

  @Test
  void resolvesTheBundledModelByEitherName() throws Exception {
    for (String name : new String[] {"builtin:all-minilm-l6-v2", "all-minilm-l6-v2", "BUILTIN:All-MiniLM-L6-v2"}) {
      ModelSource source = ModelSource.resolve(name);

      assertThat(source.format()).isEqualTo(ModelSource.Format.ONNX);
      assertThat(source.isBundled()).isTrue();
      assertThat(source.location()).isEqualTo("builtin:all-minilm-l6-v2");
      assertThat(source.readTokenizerJson()).contains("\"WordPiece\"");
    }
  }

  @Test
  void theDemoChatModelIsGeneratedAsAGgufIntoAPrivateTempFolder() throws Exception {
    for (String name : new String[] {"builtin:gantry-tiny-chat", "gantry-tiny-chat"}) {
      ModelSource source = ModelSource.resolve(name);

      assertThat(source.format()).isEqualTo(ModelSource.Format.GGUF);
      assertThat(source.isBundled()).isFalse();
      assertThat(source.location()).isEqualTo("builtin:gantry-tiny-chat");
      assertThat(source.gguf().architecture()).isEqualTo("llama");
      assertThat(source.gguf().embeddingLength()).isEqualTo(32);
      assertThat(Files.size(source.file())).isBetween(50_000L, 200_000L);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(source.file().getParent())))
          .isEqualTo("rwx------");
    }
  }

  @Test
  void everyBundledIdTheApiAcceptsIsOneTheEngineServesInTheRightFormat() throws Exception {
    for (BuiltinModel model : BuiltinModel.values()) {
      ModelSource source = ModelSource.resolve("builtin:" + model.id());

      assertThat(source.format()).as(model.id())
          .isEqualTo(model.category().equals("llm") ? ModelSource.Format.GGUF : ModelSource.Format.ONNX);
    }
  }

  @Test
  void readsTheFactsTheEngineNeedsFromAGgufHeader() throws Exception {
    Path file = Files.write(dir.resolve("m.gguf"), gguf(3, "llama", true));

    ModelSource source = ModelSource.resolve(file.toString());

    assertThat(source.format()).isEqualTo(ModelSource.Format.GGUF);
    assertThat(source.gguf()).isEqualTo(new GgufHeader("llama", 2048, 64, 1));
  }

  @Test
  void takesTheTokenizersDefaultForBosWhenTheHeaderDoesNotSay() throws Exception {
    assertThat(GgufHeader.read(Files.write(dir.resolve("a.gguf"), gguf(3, "llama", null))).specialTokensAdded()).isEqualTo(1);
    assertThat(GgufHeader.read(Files.write(dir.resolve("b.gguf"), gguf(3, "gpt2", null))).specialTokensAdded()).isZero();
    assertThat(GgufHeader.read(Files.write(dir.resolve("c.gguf"), gguf(3, "bert", null))).specialTokensAdded()).isEqualTo(2);
  }

  @Test
  void namesTheFileAndTheProblem() throws Exception {
    Path truncated = Files.write(dir.resolve("t.gguf"), Arrays.copyOf(gguf(3, "llama", true), 40));
    Path oldVersion = Files.write(dir.resolve("v1.gguf"), gguf(1, "llama", true));
    Path text = Files.writeString(dir.resolve("x.gguf"), "hello");
    Path unknown = Files.writeString(dir.resolve("weights.bin"), "hello");

    assertInvalid(dir.resolve("none.gguf").toString(), "model file " + dir.resolve("none.gguf") + " does not exist");
    assertInvalid(dir.toString(), "model path " + dir + " is a directory; give the .gguf or .onnx file");
    assertInvalidStartingWith(truncated.toString(), truncated + " is not a valid GGUF file: truncated header");
    assertInvalidStartingWith(oldVersion.toString(), oldVersion + " is not a valid GGUF file: GGUF version 1 is not supported");
    assertInvalid(text.toString(), text + " is not a valid GGUF file: it does not start with the GGUF magic bytes");
    assertInvalid(unknown.toString(), unknown + " is neither a GGUF file (no GGUF magic bytes) nor an .onnx model");
    assertInvalid("builtin:bert-large", "builtin:bert-large is not a bundled model; the bundled models are"
        + " builtin:all-minilm-l6-v2 (embeddings) and builtin:gantry-tiny-chat (a demo chat model with a fixed reply)");
  }

  @Test
  void findsTheTokenizerBesideAnOnnxFile() throws Exception {
    Path onnx = Files.write(dir.resolve("model.onnx"), new byte[] {8});
    assertInvalid(onnx.toString(), "ONNX model " + onnx + " needs its Hugging Face tokenizer.json beside it, and "
        + dir.resolve("tokenizer.json") + " does not exist");

    Files.writeString(dir.resolve("tokenizer.json"), "{}");
    ModelSource source = ModelSource.resolve(onnx.toString());

    assertThat(source.format()).isEqualTo(ModelSource.Format.ONNX);
    assertThat(source.tokenizer()).isEqualTo(dir.resolve("tokenizer.json"));
    assertThat(source.isBundled()).isFalse();
  }

  @Test
  void takesTheBundledOnnxGraphFromTheModelsFolderBesideTheJarWhenTheClasspathLacksIt() throws Exception {
    ClassLoader withoutGraph = new ClassLoader(getClass().getClassLoader()) {
      @Override
      public URL getResource(String name) {
        return name.endsWith(".onnx") ? null : super.getResource(name);
      }
    };
    Path besideJar = dir.resolve("models").resolve("all-minilm-l6-v2.jar");
    assertThatThrownBy(() -> ModelSource.bundled(withoutGraph, dir))
        .isInstanceOf(InvalidModelException.class)
        .hasMessage("builtin:all-minilm-l6-v2 needs " + besideJar + ", which ships beside gantry.jar "
            + "(target/models/all-minilm-l6-v2.jar of the build); copy the models folder along with the jar");

    Files.createDirectories(besideJar.getParent());
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(besideJar))) {
      zip.putNextEntry(new ZipEntry("all-minilm-l6-v2.onnx"));
      zip.write(new byte[] {8, 1});
    }
    ModelSource source = ModelSource.bundled(withoutGraph, dir);

    assertThat(source.isBundled()).isTrue();
    assertThat(source.location()).isEqualTo("builtin:all-minilm-l6-v2");
    assertThat(source.readBundledOnnx()).containsExactly(8, 1);
    assertThat(source.readTokenizerJson()).contains("\"WordPiece\"");
  }

  private static void assertInvalidStartingWith(String model, String prefix) {
    assertThatThrownBy(() -> ModelSource.resolve(model))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageStartingWith(prefix);
  }

  private static void assertInvalid(String model, String message) {
    assertThatThrownBy(() -> ModelSource.resolve(model))
        .isInstanceOf(InvalidModelException.class)
        .hasMessage(message);
  }

  /** A header-only GGUF file; the token list is there so that reading must skip a string array. */
  private static byte[] gguf(int version, String tokenizerModel, Boolean addBos) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int entries = addBos == null ? 6 : 7;
    out.writeBytes("GGUF".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(le(4).putInt(version).array());
    out.writeBytes(le(8).putLong(0).array());
    out.writeBytes(le(8).putLong(entries).array());
    stringEntry(out, "general.architecture", "llama");
    key(out, "tokenizer.ggml.tokens", 9);
    out.writeBytes(le(4).putInt(8).array());
    out.writeBytes(le(8).putLong(3).array());
    for (String token : new String[] {"<s>", "</s>", "hello"}) {
      string(out, token);
    }
    key(out, "llama.context_length", 4);
    out.writeBytes(le(4).putInt(2048).array());
    key(out, "llama.embedding_length", 4);
    out.writeBytes(le(4).putInt(64).array());
    key(out, "llama.attention.layer_norm_rms_epsilon", 6);
    out.writeBytes(le(4).putFloat(1e-5f).array());
    stringEntry(out, "tokenizer.ggml.model", tokenizerModel);
    if (addBos != null) {
      key(out, "tokenizer.ggml.add_bos_token", 7);
      out.write(addBos ? 1 : 0);
    }
    return out.toByteArray();
  }

  private static void stringEntry(ByteArrayOutputStream out, String key, String value) {
    key(out, key, 8);
    string(out, value);
  }

  private static void key(ByteArrayOutputStream out, String key, int type) {
    string(out, key);
    out.writeBytes(le(4).putInt(type).array());
  }

  private static void string(ByteArrayOutputStream out, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(le(8).putLong(bytes.length).array());
    out.writeBytes(bytes);
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }
}
