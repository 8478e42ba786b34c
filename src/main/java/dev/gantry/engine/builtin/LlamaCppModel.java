package dev.gantry.engine.builtin;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * A GGUF model run in-process by llama.cpp (java-llama.cpp). Every method blocks and the model has
 * one context, so callers run them one at a time on a single worker thread. It is never closed: its
 * native loop thread may be mid-generation when the process ends, and ending the process frees it.
 */
final class LlamaCppModel implements EmbeddingModel {

  private static final int DEFAULT_CONTEXT = 4096;
  private static final String NATIVE_FOLDER_PROPERTY = "de.kherud.llama.tmpdir";

  private final LlamaModel model;
  private final int contextSize;
  private final GgufHeader header;
  private final int tokenDelayMs;

  private LlamaCppModel(LlamaModel model, int contextSize, GgufHeader header, int tokenDelayMs) {
    this.model = model;
    this.contextSize = contextSize;
    this.header = header;
    this.tokenDelayMs = tokenDelayMs;
  }

  /**
   * Loads the model. Chat templates use llama.cpp's built-in template support (it falls back to
   * ChatML for a model without a template or with one it does not know), never Jinja: a Jinja
   * template that raises on a client's messages would abort the whole process.
   *
   * @throws IllegalStateException when llama.cpp rejects the file
   */
  static LlamaCppModel load(ModelSource source, EngineConfig config) {
    usePrivateNativeFolder();
    int context = contextSize(config, source.gguf());
    ModelParameters parameters = new ModelParameters()
        .setModel(source.file().toString())
        .setCtxSize(context)
        .setParallel(1);
    if (config.threads() > 0) {
      parameters.setThreads(config.threads()).setThreadsBatch(config.threads());
    }
    if (config.embeddings()) {
      parameters.enableEmbedding().setBatchSize(context).setUbatchSize(context);
    }
    if (!config.verbose()) {
      parameters.disableLog();
    }
    try {
      LlamaModel model = new LlamaModel(parameters);
      return new LlamaCppModel(model, context, source.gguf(), config.tokenDelayMs());
    } catch (RuntimeException e) {
      throw new IllegalStateException("llama.cpp could not load it: " + e.getMessage()
          + "; run with --verbose to see llama.cpp's log", e);
    }
  }

  /** {@code --ctx-size}, else the model's training context capped at 4096 (llama-server's default). */
  private static int contextSize(EngineConfig config, GgufHeader header) {
    if (config.ctxSize() > 0) {
      return config.ctxSize();
    }
    long trained = header.contextLength();
    return (int) (trained > 0 ? Math.min(trained, DEFAULT_CONTEXT) : DEFAULT_CONTEXT);
  }

  /**
   * java-llama.cpp extracts its native library to one fixed file name in the temp folder; engines
   * starting together would overwrite each other's copy, so each process gets its own folder
   * (unless {@code -Dde.kherud.llama.tmpdir} names one).
   */
  private static void usePrivateNativeFolder() {
    if (System.getProperty(NATIVE_FOLDER_PROPERTY) != null) {
      return;
    }
    try {
      File folder = Files.createTempDirectory("gantry-jllama-").toFile();
      folder.deleteOnExit();
      System.setProperty(NATIVE_FOLDER_PROPERTY, folder.getPath());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temp folder for llama.cpp's native library", e);
    }
  }

  int contextSize() {
    return contextSize;
  }

  /** Renders chat messages (each {@code {"role","content"}} with string content) with the model's template. */
  String applyChatTemplate(JsonArray messages) {
    return model.applyTemplate(new JsonObject().put("messages", messages).encode());
  }

  /** Tokens the prompt takes in the context, including the BOS/EOS tokens the tokenizer adds. */
  int countPromptTokens(String prompt) {
    return model.encode(prompt).length + header.specialTokensAdded();
  }

  /** Starts generating; the caller must drain or cancel the returned source on the same thread. */
  Generation.TokenSource generate(String prompt, SamplingParams sampling) {
    InferenceParameters parameters = new InferenceParameters(prompt)
        .setNPredict(sampling.maxTokens())
        .setTemperature(sampling.temperature())
        .setTopP(sampling.topP())
        .setCachePrompt(true);
    if (!sampling.stop().isEmpty()) {
      parameters.setStopStrings(sampling.stop().toArray(String[]::new));
    }
    if (sampling.seed() != null) {
      parameters.setSeed(sampling.seed());
    }
    LlamaIterator iterator = model.generate(parameters).iterator();
    return new Generation.TokenSource() {
      @Override
      public boolean hasNext() {
        return iterator.hasNext();
      }

      @Override
      public String next() {
        pace();
        return iterator.next().text;
      }

      @Override
      public void cancel() {
        iterator.cancel();
      }
    };
  }

  /** {@code --token-delay-ms}: runs on the model's worker thread, which this generation holds anyway. */
  private void pace() {
    if (tokenDelayMs > 0) {
      try {
        Thread.sleep(tokenDelayMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public int dimension() {
    return header.embeddingLength();
  }

  @Override
  public Embeddings embed(List<String> inputs) {
    List<float[]> vectors = new ArrayList<>(inputs.size());
    int tokens = 0;
    for (String input : inputs) {
      int count = countPromptTokens(input);
      if (count > contextSize) {
        throw OpenAiError.badField("input", "has " + count + " tokens; this model's context holds " + contextSize);
      }
      tokens += count;
      vectors.add(EmbeddingModel.normalize(model.embed(input)));
    }
    return new Embeddings(vectors, tokens);
  }
}
