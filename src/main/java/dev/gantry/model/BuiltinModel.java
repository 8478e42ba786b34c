package dev.gantry.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The models that come with Gantry ({@code "source":"builtin","builtin_model":id}), served by the
 * builtin engine with nothing downloaded or installed. The engine knows each id too
 * ({@code engine.builtin.ModelSource}); a test checks that the two lists agree.
 */
public enum BuiltinModel {

  /** Sentence embeddings (384 dimensions) through ONNX Runtime. */
  ALL_MINILM_L6_V2("all-minilm-l6-v2", "embedding", "all-MiniLM-L6-v2"),
  /** A tiny llama GGUF that always answers with one sentence saying what it is: a first chat answer. */
  GANTRY_TINY_CHAT("gantry-tiny-chat", "llm", "the tiny demo chat model");

  private final String id;
  private final String category;
  private final String title;

  BuiltinModel(String id, String category, String title) {
    this.id = id;
    this.category = category;
    this.title = title;
  }

  /** The {@code builtin_model} value. */
  public String id() {
    return id;
  }

  /** What it serves: {@code embedding} or {@code llm}, its model's default categories. */
  public String category() {
    return category;
  }

  /** How a person calls it, e.g. in an estimate's breakdown. */
  public String title() {
    return title;
  }

  public static Optional<BuiltinModel> byId(String id) {
    return Arrays.stream(values()).filter(model -> model.id.equals(id)).findFirst();
  }

  public static List<String> ids() {
    return Arrays.stream(values()).map(BuiltinModel::id).toList();
  }
}
