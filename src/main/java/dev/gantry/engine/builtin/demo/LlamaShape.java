package dev.gantry.engine.builtin.demo;

/**
 * The dimensions of a llama-architecture model.
 *
 * @param dim           embedding length
 * @param layers        transformer blocks
 * @param heads         attention heads ({@code dim} must be a multiple)
 * @param headsKv       key/value heads ({@code heads} must be a multiple)
 * @param feedForward   hidden size of the feed-forward network
 * @param contextLength the trained context length written to the file
 */
public record LlamaShape(int dim, int layers, int heads, int headsKv, int feedForward, int contextLength) {

  public LlamaShape {
    if (dim <= 0 || layers <= 0 || heads <= 0 || headsKv <= 0 || feedForward <= 0 || contextLength <= 0) {
      throw new IllegalArgumentException("every dimension must be positive: " + this);
    }
    if (dim % heads != 0 || heads % headsKv != 0) {
      throw new IllegalArgumentException("dim must divide into heads, heads into kv heads: " + this);
    }
  }

  public int headDim() {
    return dim / heads;
  }

  /** Parameters of the whole model with a vocabulary of {@code vocabSize}. */
  public long parameters(int vocabSize) {
    long kv = (long) headsKv * headDim();
    long perLayer = 2L * dim + 2L * dim * dim + 2L * kv * dim + 3L * dim * feedForward;
    return 2L * vocabSize * dim + dim + layers * perLayer;
  }
}
