package dev.gantry.engine.builtin.demo;

import dev.gantry.scheduler.estimate.GgmlType;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Writes GGUF v3 files: metadata of every GGUF value type, F32 tensors whose values are produced one
 * tensor at a time while writing (so large random models never sit in memory), and zero-filled
 * tensors of any ggml type. Tensor data is 32-byte aligned; shapes are given row-major and written
 * as ggml dims (reversed). {@link #llama} lays out a complete llama-architecture model.
 */
public final class TinyGgufWriter {

  /** GGUF metadata value types, by their id in the file. */
  public enum ValueType { UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64, INT64, FLOAT64 }

  public static final int ALIGNMENT = 32;
  private static final int MAGIC = 0x46554747;

  private record Tensor(String name, long[] dims, GgmlType type, Supplier<float[]> values) {
  }

  private final Encoder header = new Encoder();
  private final Encoder tensorInfos = new Encoder();
  private final List<Tensor> tensors = new ArrayList<>();
  private int metadataCount;
  private long dataBytes;

  /** A llama model with the metadata llama.cpp requires, every tensor filled by {@code init}. */
  public static TinyGgufWriter llama(String name, LlamaShape shape, TinyVocab vocab, TensorInit init) {
    return LlamaLayout.write(new TinyGgufWriter(), name, shape, vocab, init);
  }

  public TinyGgufWriter value(String key, ValueType type, Object value) {
    header.string(key);
    header.u32(type.ordinal());
    header.value(type, value);
    metadataCount++;
    return this;
  }

  public TinyGgufWriter array(String key, ValueType elementType, List<?> values) {
    header.string(key);
    header.u32(ValueType.ARRAY.ordinal());
    header.u32(elementType.ordinal());
    header.u64(values.size());
    values.forEach(element -> header.value(elementType, element));
    metadataCount++;
    return this;
  }

  public TinyGgufWriter string(String key, String value) {
    return value(key, ValueType.STRING, value);
  }

  public TinyGgufWriter uint32(String key, long value) {
    return value(key, ValueType.UINT32, value);
  }

  public TinyGgufWriter float32(String key, float value) {
    return value(key, ValueType.FLOAT32, value);
  }

  /** An F32 tensor of the given row-major shape whose values {@code values} makes when written. */
  public TinyGgufWriter tensor(String name, int[] shape, Supplier<float[]> values) {
    long[] dims = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      dims[i] = shape[shape.length - 1 - i];
    }
    return add(new Tensor(name, dims, GgmlType.F32, values));
  }

  /** A zero-filled tensor of any ggml type, with ggml dims (innermost first). */
  public TinyGgufWriter zeroTensor(String name, GgmlType type, long... dims) {
    return add(new Tensor(name, dims, type, null));
  }

  private TinyGgufWriter add(Tensor tensor) {
    tensorInfos.string(tensor.name());
    tensorInfos.u32(tensor.dims().length);
    for (long dim : tensor.dims()) {
      tensorInfos.u64(dim);
    }
    tensorInfos.u32(tensor.type().id());
    tensorInfos.u64(dataBytes);
    dataBytes += padded(byteSize(tensor));
    tensors.add(tensor);
    return this;
  }

  /** Writes the file, creating or replacing it; returns it. */
  public Path write(Path file) throws IOException {
    Encoder start = new Encoder();
    start.u32(MAGIC);
    start.u32(3);
    start.u64(tensors.size());
    start.u64(metadataCount);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      long position = start.writeTo(out) + header.writeTo(out) + tensorInfos.writeTo(out);
      out.write(new byte[(int) (padded(position) - position)]);
      for (Tensor tensor : tensors) {
        long size = writeData(tensor, out);
        out.write(new byte[(int) (padded(size) - size)]);
      }
    }
    return file;
  }

  private static long writeData(Tensor tensor, OutputStream out) throws IOException {
    long size = byteSize(tensor);
    if (tensor.values() == null) {
      out.write(new byte[Math.toIntExact(size)]);
      return size;
    }
    float[] values = tensor.values().get();
    if (values.length * 4L != size) {
      throw new IllegalStateException("tensor %s has %d values, expected %d"
          .formatted(tensor.name(), values.length, size / 4));
    }
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    out.write(bytes.array());
    return size;
  }

  private static long byteSize(Tensor tensor) {
    long elements = 1;
    for (long dim : tensor.dims()) {
      elements *= dim;
    }
    return tensor.type().bytesFor(elements);
  }

  private static long padded(long position) {
    return (position + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
  }

  /** Little-endian GGUF encoding into memory. */
  private static final class Encoder {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

    void u32(long value) {
      put(scratch.clear().putInt((int) value));
    }

    void u64(long value) {
      put(scratch.clear().putLong(value));
    }

    void string(String value) {
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      u64(utf8.length);
      bytes.writeBytes(utf8);
    }

    void value(ValueType type, Object value) {
      switch (type) {
        case UINT8, INT8 -> put(scratch.clear().put(((Number) value).byteValue()));
        case UINT16, INT16 -> put(scratch.clear().putShort(((Number) value).shortValue()));
        case UINT32, INT32 -> u32(((Number) value).longValue());
        case UINT64, INT64 -> u64(((Number) value).longValue());
        case FLOAT32 -> put(scratch.clear().putFloat(((Number) value).floatValue()));
        case FLOAT64 -> put(scratch.clear().putDouble(((Number) value).doubleValue()));
        case BOOL -> put(scratch.clear().put((byte) ((Boolean) value ? 1 : 0)));
        case STRING -> string((String) value);
        case ARRAY -> throw new IllegalArgumentException("GGUF has no nested arrays");
      }
    }

    private void put(ByteBuffer value) {
      bytes.write(value.array(), 0, value.position());
    }

    long writeTo(OutputStream out) throws IOException {
      bytes.writeTo(out);
      return bytes.size();
    }
  }
}
