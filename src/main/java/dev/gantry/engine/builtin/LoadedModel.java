package dev.gantry.engine.builtin;

import java.io.IOException;
import java.util.Optional;

/** The model this engine serves once loading has finished: what it can do and its context size. */
final class LoadedModel {

  private final String format;
  private final EmbeddingModel embeddings;
  private final LlamaCppModel generator;
  private final int contextSize;

  private LoadedModel(String format, EmbeddingModel embeddings, LlamaCppModel generator, int contextSize) {
    this.format = format;
    this.embeddings = embeddings;
    this.generator = generator;
    this.contextSize = contextSize;
  }

  /**
   * Loads the model; blocks for as long as that takes.
   *
   * @throws InvalidModelException when the runtime rejects the file
   */
  static LoadedModel load(ModelSource source, EngineConfig config) throws InvalidModelException {
    try {
      if (source.format() == ModelSource.Format.GGUF) {
        LlamaCppModel model = LlamaCppModel.load(source, config);
        return new LoadedModel("gguf", config.embeddings() ? model : null,
            config.embeddings() ? null : model, model.contextSize());
      }
      BertTokenizer tokenizer = BertTokenizer.fromJson(source.readTokenizerJson());
      OnnxEmbeddingModel model = source.isBundled()
          ? OnnxEmbeddingModel.load(source.readBundledOnnx(), tokenizer, config.threads())
          : OnnxEmbeddingModel.load(source.file(), tokenizer, config.threads());
      return new LoadedModel("onnx", model, null, tokenizer.maxLength());
    } catch (IOException e) {
      throw new InvalidModelException("cannot read " + source.location() + ": " + e.getMessage());
    } catch (Exception e) {
      throw new InvalidModelException(source.location() + " is not a valid "
          + source.format().name() + " model: " + oneLine(e.getMessage()));
    }
  }

  String format() {
    return format;
  }

  Optional<EmbeddingModel> embeddings() {
    return Optional.ofNullable(embeddings);
  }

  Optional<LlamaCppModel> generator() {
    return Optional.ofNullable(generator);
  }

  int contextSize() {
    return contextSize;
  }

  private static String oneLine(String message) {
    return message == null ? "unknown error" : message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
