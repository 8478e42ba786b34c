package dev.gantry.scheduler.estimate;

import java.util.Optional;

/**
 * The ggml tensor types a GGUF file can hold, with the storage each one needs: {@code typeSize}
 * bytes for every block of {@code blockSize} elements. This is the one place Gantry keeps that
 * table; the figures are llama.cpp's {@code type_traits} ({@code ggml/src/ggml.c}, the block structs
 * in {@code ggml-common.h}). Ids that llama.cpp removed (4, 5, 31-33, 36-38) are absent.
 */
public enum GgmlType {
  F32(0, 1, 4),
  F16(1, 1, 2),
  Q4_0(2, 32, 18),
  Q4_1(3, 32, 20),
  Q5_0(6, 32, 22),
  Q5_1(7, 32, 24),
  Q8_0(8, 32, 34),
  Q8_1(9, 32, 36),
  Q2_K(10, 256, 84),
  Q3_K(11, 256, 110),
  Q4_K(12, 256, 144),
  Q5_K(13, 256, 176),
  Q6_K(14, 256, 210),
  Q8_K(15, 256, 292),
  IQ2_XXS(16, 256, 66),
  IQ2_XS(17, 256, 74),
  IQ3_XXS(18, 256, 98),
  IQ1_S(19, 256, 50),
  IQ4_NL(20, 32, 18),
  IQ3_S(21, 256, 110),
  IQ2_S(22, 256, 82),
  IQ4_XS(23, 256, 136),
  I8(24, 1, 1),
  I16(25, 1, 2),
  I32(26, 1, 4),
  I64(27, 1, 8),
  F64(28, 1, 8),
  IQ1_M(29, 256, 56),
  BF16(30, 1, 2),
  TQ1_0(34, 256, 54),
  TQ2_0(35, 256, 66),
  MXFP4(39, 32, 17),
  NVFP4(40, 64, 36),
  Q1_0(41, 128, 18),
  Q2_0(42, 64, 18);

  private static final GgmlType[] BY_ID = new GgmlType[43];

  static {
    for (GgmlType type : values()) {
      BY_ID[type.id] = type;
    }
  }

  private final int id;
  private final int blockSize;
  private final int typeSize;

  GgmlType(int id, int blockSize, int typeSize) {
    this.id = id;
    this.blockSize = blockSize;
    this.typeSize = typeSize;
  }

  /** The type with this GGUF id, or empty for an id llama.cpp does not define (or no longer reads). */
  public static Optional<GgmlType> byId(long id) {
    return id >= 0 && id < BY_ID.length ? Optional.ofNullable(BY_ID[(int) id]) : Optional.empty();
  }

  public int id() {
    return id;
  }

  /** Elements per block; a tensor's first dimension must be a multiple of it. */
  public int blockSize() {
    return blockSize;
  }

  /** Bytes per block. */
  public int typeSize() {
    return typeSize;
  }

  /**
   * Bytes that {@code elements} elements of this type occupy.
   *
   * @throws ArithmeticException when the size does not fit in a {@code long}
   */
  public long bytesFor(long elements) {
    return Math.multiplyExact(elements / blockSize, (long) typeSize);
  }
}
