package dev.gantry.engine.builtin;

import java.util.List;

/** A model that turns texts into unit-length vectors. Implementations block: call them off the event loop. */
interface EmbeddingModel {

  /** One L2-normalised vector per input, in input order, and the tokens the inputs used. */
  Embeddings embed(List<String> inputs);

  /** Length of every vector this model returns. */
  int dimension();

  /** Vectors and token usage of one embedding call. */
  record Embeddings(List<float[]> vectors, int promptTokens) {}

  /** Scales a vector to unit length in place (a zero vector stays zero). */
  static float[] normalize(float[] vector) {
    double sum = 0;
    for (float v : vector) {
      sum += v * v;
    }
    double norm = Math.sqrt(sum);
    if (norm > 0) {
      for (int i = 0; i < vector.length; i++) {
        vector[i] = (float) (vector[i] / norm);
      }
    }
    return vector;
  }
}
