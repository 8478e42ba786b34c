package dev.gantry.scheduler.estimate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** Byte-exact GGUF headers for tests that need a file broken in one precise place. */
final class RawGguf {

  private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

  /** Magic, version, tensor count and metadata count; the rest is up to the test. */
  static RawGguf header(int version, long tensors, long metadata) {
    return new RawGguf().raw("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(version).u64(tensors).u64(metadata);
  }

  RawGguf u32(long value) {
    bytes.putInt((int) value);
    return this;
  }

  RawGguf u64(long value) {
    bytes.putLong(value);
    return this;
  }

  RawGguf string(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    return u64(utf8.length).raw(utf8);
  }

  RawGguf raw(byte[] value) {
    bytes.put(value);
    return this;
  }

  /** A metadata entry with a {@code uint32} value. */
  RawGguf uint32Entry(String key, long value) {
    return string(key).u32(4).u32(value);
  }

  /** A tensor info: name, dims (innermost first), ggml type id and data offset. */
  RawGguf tensorInfo(String name, long[] dims, int type, long offset) {
    string(name).u32(dims.length);
    Arrays.stream(dims).forEach(this::u64);
    return u32(type).u64(offset);
  }

  Path write(Path file) throws IOException {
    return Files.write(file, Arrays.copyOf(bytes.array(), bytes.position()));
  }

  /** Overwrites four bytes of {@code file} at {@code offset} with a little-endian int. */
  static void patchInt(Path file, long offset, int value) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value), offset);
    }
  }
}
