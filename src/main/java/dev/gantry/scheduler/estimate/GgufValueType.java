package dev.gantry.scheduler.estimate;

import java.util.Optional;

/** The value types of GGUF metadata, by their id in the file. */
enum GgufValueType {
  UINT8(0, 1),
  INT8(1, 1),
  UINT16(2, 2),
  INT16(3, 2),
  UINT32(4, 4),
  INT32(5, 4),
  FLOAT32(6, 4),
  BOOL(7, 1),
  STRING(8, 8),
  ARRAY(9, 12),
  UINT64(10, 8),
  INT64(11, 8),
  FLOAT64(12, 8);

  private final int id;
  private final int minBytes;

  GgufValueType(int id, int minBytes) {
    this.id = id;
    this.minBytes = minBytes;
  }

  static Optional<GgufValueType> byId(long id) {
    return id >= 0 && id < values().length ? Optional.of(values()[(int) id]) : Optional.empty();
  }

  int id() {
    return id;
  }

  /** The fewest bytes one value of this type takes in a file (a string's length prefix, say). */
  int minBytes() {
    return minBytes;
  }
}
