package dev.gantry.scheduler.estimate;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the little-endian values of a GGUF header from a file, a buffer at a time. Every read is
 * checked against the end of the file and against {@code maxBytes}, so a corrupt length can neither
 * make it allocate more than the file could back nor read far past the header.
 */
final class GgufInput implements Closeable {

  private static final int BUFFER_BYTES = 64 * 1024;

  private final Path file;
  private final FileChannel channel;
  private final long fileSize;
  private final long maxBytes;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  private long bytesFetched;

  private GgufInput(Path file, FileChannel channel, long maxBytes) throws IOException {
    this.file = file;
    this.channel = channel;
    this.fileSize = channel.size();
    this.maxBytes = maxBytes;
    buffer.limit(0);
  }

  static GgufInput open(Path file, long maxBytes) throws IOException {
    return new GgufInput(file, FileChannel.open(file, StandardOpenOption.READ), maxBytes);
  }

  Path file() {
    return file;
  }

  long fileSize() {
    return fileSize;
  }

  /** Offset of the next byte to read. */
  long position() {
    return bytesFetched - buffer.remaining();
  }

  /** Bytes between the read position and the end of the file. */
  long remaining() {
    return fileSize - position();
  }

  InvalidGgufException invalid(String problem) {
    return new InvalidGgufException(file, problem);
  }

  int u8(String what) throws IOException {
    fill(1, what);
    return Byte.toUnsignedInt(buffer.get());
  }

  int u16(String what) throws IOException {
    fill(2, what);
    return Short.toUnsignedInt(buffer.getShort());
  }

  int i32(String what) throws IOException {
    fill(4, what);
    return buffer.getInt();
  }

  long u32(String what) throws IOException {
    return Integer.toUnsignedLong(i32(what));
  }

  /** A 64-bit value; an unsigned one above {@code Long.MAX_VALUE} comes back negative. */
  long i64(String what) throws IOException {
    fill(8, what);
    return buffer.getLong();
  }

  float f32(String what) throws IOException {
    fill(4, what);
    return buffer.getFloat();
  }

  double f64(String what) throws IOException {
    fill(8, what);
    return buffer.getDouble();
  }

  /** A length-prefixed UTF-8 string of at most {@code maxLength} bytes. */
  String string(String what, int maxLength) throws IOException {
    long length = i64(what + " length");
    if (length < 0 || length > maxLength) {
      throw invalid("%s is %s bytes long, over the limit of %d bytes (corrupt file?)"
          .formatted(what, Long.toUnsignedString(length), maxLength));
    }
    require(length, what);
    byte[] bytes = new byte[(int) length];
    int done = 0;
    while (done < bytes.length) {
      fill(1, what);
      int chunk = Math.min(buffer.remaining(), bytes.length - done);
      buffer.get(bytes, done, chunk);
      done += chunk;
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Fails unless {@code bytes} more bytes lie within both the file and the header limit. */
  void require(long bytes, String what) throws InvalidGgufException {
    if (bytes > remaining()) {
      throw invalid("truncated header: %d bytes of %s expected at offset %d, but the file ends at %d"
          .formatted(bytes, what, position(), fileSize));
    }
    if (bytes > maxBytes - position()) {
      throw invalid("header is larger than %d MiB while reading %s (corrupt file?)"
          .formatted(maxBytes >> 20, what));
    }
  }

  private void fill(int bytes, String what) throws IOException {
    if (buffer.remaining() >= bytes) {
      return;
    }
    require(bytes, what);
    buffer.compact();
    while (buffer.position() < bytes) {
      int read = channel.read(buffer);
      if (read < 0) {
        throw invalid("truncated header: file ended while reading " + what);
      }
      bytesFetched += read;
    }
    buffer.flip();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
