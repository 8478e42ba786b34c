package dev.gantry.engine.builtin.demo;

/** Produces the values of one tensor of a model, row-major. */
@FunctionalInterface
public interface TensorInit {

  /**
   * @param name a GGUF tensor name such as {@code blk.0.attn_q.weight} or {@code output.weight}
   * @param rows rows of the row-major shape (1 for a vector)
   * @param cols columns of the row-major shape
   * @return {@code rows × cols} values
   */
  float[] values(String name, int rows, int cols);
}
