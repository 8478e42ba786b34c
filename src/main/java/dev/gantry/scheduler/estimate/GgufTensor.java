package dev.gantry.scheduler.estimate;

import java.util.List;

/**
 * One tensor described in a GGUF header.
 *
 * @param name   for example {@code blk.0.attn_q.weight}
 * @param dims   ggml dimensions, innermost first (the row-major shape reversed)
 * @param type   how the elements are stored
 * @param offset where its data starts, relative to the start of the data section
 */
public record GgufTensor(String name, List<Long> dims, GgmlType type, long offset) {

  public GgufTensor {
    dims = List.copyOf(dims);
  }

  /** Number of elements (the product of the dimensions). */
  public long elements() {
    long product = 1;
    for (long dim : dims) {
      product = Math.multiplyExact(product, dim);
    }
    return product;
  }

  /** Bytes of tensor data in the file. */
  public long byteSize() {
    return type.bytesFor(elements());
  }
}
