package dev.gantry.scheduler.estimate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parses the header of a GGUF v2/v3 file (the layout of llama.cpp's {@code gguf.cpp}). */
final class GgufHeaderReader {

  static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian int
  static final long MAX_HEADER_BYTES = 128L << 20;
  static final int MAX_STRING_BYTES = 16 << 20;
  static final int MAX_ARRAY_LENGTH = 16 << 20;
  static final int MAX_TENSORS = 1 << 20;
  static final int MAX_METADATA = 1 << 20;
  static final int MAX_DIMS = 4;
  static final int DEFAULT_ALIGNMENT = 32;
  /** The smallest tensor info: name length, dimension count, type and offset. */
  static final int MIN_TENSOR_INFO_BYTES = 8 + 4 + 4 + 8;

  private final GgufInput in;

  private GgufHeaderReader(GgufInput in) {
    this.in = in;
  }

  static GgufHeader read(Path file) throws IOException {
    try (GgufInput in = GgufInput.open(file, MAX_HEADER_BYTES)) {
      return new GgufHeaderReader(in).header();
    }
  }

  private GgufHeader header() throws IOException {
    if (in.fileSize() < 4 || in.i32("magic") != MAGIC) {
      throw in.invalid("not a GGUF file (bad magic)");
    }
    int version = version(in.i32("version"));
    long tensorCount = count(in.i64("tensor count"), MAX_TENSORS, "tensor count");
    long metadataCount = count(in.i64("metadata count"), MAX_METADATA, "metadata count");
    Map<String, Object> metadata = new LinkedHashMap<>();
    for (long i = 0; i < metadataCount; i++) {
      String key = in.string("metadata key #" + i, MAX_STRING_BYTES);
      Object value = value(valueType(in.u32("type of " + key), key), key);
      if (metadata.putIfAbsent(key, value) != null) {
        throw in.invalid("duplicate metadata key " + key);
      }
    }
    long alignment = alignment(metadata.getOrDefault("general.alignment", (long) DEFAULT_ALIGNMENT));
    in.require(tensorCount * MIN_TENSOR_INFO_BYTES, "infos of " + tensorCount + " tensors");
    List<GgufTensor> tensors = new ArrayList<>((int) tensorCount);
    Set<String> names = new HashSet<>();
    for (long i = 0; i < tensorCount; i++) {
      GgufTensor tensor = tensor(i, alignment);
      if (!names.add(tensor.name())) {
        throw in.invalid("duplicate tensor " + tensor.name());
      }
      tensors.add(tensor);
    }
    long dataOffset = (in.position() + alignment - 1) / alignment * alignment;
    checkDataPresent(tensors, dataOffset);
    return new GgufHeader(in.file(), version, metadata, tensors, alignment, dataOffset);
  }

  private int version(int version) throws InvalidGgufException {
    if (version == 2 || version == 3) {
      return version;
    }
    if (Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3) {
      throw in.invalid("big-endian GGUF files are not supported");
    }
    throw in.invalid("GGUF version %s is not supported (only versions 2 and 3)"
        .formatted(Integer.toUnsignedString(version)));
  }

  private long count(long count, int max, String what) throws InvalidGgufException {
    if (count < 0 || count > max) {
      throw in.invalid("%s %s is over the limit of %d (corrupt file?)"
          .formatted(what, Long.toUnsignedString(count), max));
    }
    return count;
  }

  private GgufValueType valueType(long id, String key) throws InvalidGgufException {
    return GgufValueType.byId(id).orElseThrow(() -> in.invalid("metadata " + key + " has unknown value type " + id));
  }

  private Object value(GgufValueType type, String key) throws IOException {
    return switch (type) {
      case UINT8 -> (long) in.u8(key);
      case INT8 -> (long) (byte) in.u8(key);
      case UINT16 -> (long) in.u16(key);
      case INT16 -> (long) (short) in.u16(key);
      case UINT32 -> in.u32(key);
      case INT32 -> (long) in.i32(key);
      case UINT64, INT64 -> in.i64(key);
      case FLOAT32 -> (double) in.f32(key);
      case FLOAT64 -> in.f64(key);
      case BOOL -> in.u8(key) != 0;
      case STRING -> in.string("metadata " + key, MAX_STRING_BYTES);
      case ARRAY -> array(key);
    };
  }

  private List<Object> array(String key) throws IOException {
    GgufValueType elementType = valueType(in.u32("element type of " + key), key);
    if (elementType == GgufValueType.ARRAY) {
      throw in.invalid("metadata " + key + " is an array of arrays, which GGUF does not allow");
    }
    long length = count(in.i64("length of " + key), MAX_ARRAY_LENGTH, "length of array " + key);
    in.require(length * elementType.minBytes(), "array " + key);
    List<Object> values = new ArrayList<>((int) length);
    for (long i = 0; i < length; i++) {
      values.add(value(elementType, key));
    }
    return List.copyOf(values);
  }

  private long alignment(Object value) throws InvalidGgufException {
    if (value instanceof Long alignment && alignment > 0 && Long.bitCount(alignment) == 1) {
      return alignment;
    }
    throw in.invalid("general.alignment " + value + " is not a power of two");
  }

  private GgufTensor tensor(long index, long alignment) throws IOException {
    String name = in.string("name of tensor #" + index, MAX_STRING_BYTES);
    long dimCount = in.u32("dimension count of tensor " + name);
    if (dimCount > MAX_DIMS) {
      throw in.invalid("tensor %s has %d dimensions, more than %d".formatted(name, dimCount, MAX_DIMS));
    }
    List<Long> dims = new ArrayList<>();
    for (int d = 0; d < dimCount; d++) {
      long dim = in.i64("dimensions of tensor " + name);
      if (dim < 0) {
        throw in.invalid("tensor %s has a negative dimension %d".formatted(name, dim));
      }
      dims.add(dim);
    }
    long typeId = in.u32("type of tensor " + name);
    GgmlType type = GgmlType.byId(typeId).orElseThrow(() -> in.invalid(
        "tensor %s has ggml type %d, which Gantry does not know (a newer quantisation?); "
            .formatted(name, typeId) + "give the model an explicit resource override"));
    if (!dims.isEmpty() && dims.get(0) % type.blockSize() != 0) {
      throw in.invalid("tensor %s of type %s has rows of %d elements, not a multiple of its block size %d"
          .formatted(name, type, dims.get(0), type.blockSize()));
    }
    long offset = in.i64("offset of tensor " + name);
    if (offset < 0 || offset % alignment != 0) {
      throw in.invalid("tensor %s has offset %s, not a multiple of the alignment %d"
          .formatted(name, Long.toUnsignedString(offset), alignment));
    }
    GgufTensor tensor = new GgufTensor(name, dims, type, offset);
    try {
      tensor.byteSize();
    } catch (ArithmeticException e) {
      throw in.invalid("tensor %s with dimensions %s is too large".formatted(name, dims));
    }
    return tensor;
  }

  private void checkDataPresent(List<GgufTensor> tensors, long dataOffset) throws InvalidGgufException {
    for (GgufTensor tensor : tensors) {
      long end = endOf(tensor, dataOffset);
      if (end > in.fileSize()) {
        throw in.invalid(("truncated tensor data: tensor %s ends at byte %s but the file has %d bytes"
            + " (incomplete download?)").formatted(tensor.name(), Long.toUnsignedString(end), in.fileSize()));
      }
    }
  }

  private static long endOf(GgufTensor tensor, long dataOffset) {
    try {
      return Math.addExact(Math.addExact(dataOffset, tensor.offset()), tensor.byteSize());
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
