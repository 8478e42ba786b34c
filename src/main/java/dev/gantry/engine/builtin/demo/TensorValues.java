package dev.gantry.engine.builtin.demo;

import java.util.Arrays;
import java.util.Random;
import java.util.function.IntUnaryOperator;

/** Values for hand-made tensors (row-major): constants, seeded noise and one-hot rows. */
public final class TensorValues {

  private TensorValues() {
  }

  public static float[] filled(int length, float value) {
    float[] values = new float[length];
    Arrays.fill(values, value);
    return values;
  }

  /** N(0, sigma²) values, the same for the same seed and tensor name on every run. */
  public static float[] gaussian(long seed, String tensor, int length, double sigma) {
    Random random = new Random(seed ^ tensor.hashCode());
    float[] values = new float[length];
    for (int i = 0; i < length; i++) {
      values[i] = (float) (random.nextGaussian() * sigma);
    }
    return values;
  }

  /** Row r is {@code value} at column {@code column(r)} and 0 elsewhere (all 0 when it is -1). */
  public static float[] oneHotRows(int rows, int cols, float value, IntUnaryOperator column) {
    float[] values = new float[rows * cols];
    for (int row = 0; row < rows; row++) {
      int col = column.applyAsInt(row);
      if (col >= 0) {
        values[row * cols + col] = value;
      }
    }
    return values;
  }
}
