package dev.gantry.metering;

import dev.gantry.common.UsageRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads whole records from a journal segment, from a byte offset on (blocks: call it off the event loop).
 * In the segment still being written, reading stops before a line that is incomplete or does not check
 * out (its write may still be under way). In a closed segment such a line is skipped and counted: a
 * torn last line after a crash, or damage. The segment being written is mapped at its full size, so its
 * records are followed by zeros: the first zero byte ends what there is to read.
 */
final class JournalReader {

  static final int AVERAGE_LINE = 512;
  /** What a read takes first (well below a G1 region's half, so never a humongous array). */
  static final int FIRST_BLOCK = 64 << 10;

  /** Records read, the offset to continue from, lines skipped, and whether a closed segment is read to its end. */
  record Chunk(List<UsageRecord> records, long nextOffset, int skipped, boolean finished) {
  }

  private JournalReader() {
  }

  static Chunk read(Path segment, long offset, int maxRecords, boolean closed) throws IOException {
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
      long size = channel.size();
      int length = (int) Math.max(0, Math.min(size - offset, (long) maxRecords * AVERAGE_LINE * 2));
      // A first block, then the rest only when the records go on past it: an open segment is mapped at its
      // full size, and a shipper that keeps up would otherwise read (and allocate) megabytes of zeros each tick.
      byte[] bytes = new byte[Math.min(length, FIRST_BLOCK)];
      int filled = fill(channel, bytes, 0, offset);
      int data = dataEnd(bytes, filled);
      if (data == filled && filled == bytes.length && bytes.length < length) {
        bytes = Arrays.copyOf(bytes, length);
        filled = fill(channel, bytes, filled, offset);
        data = dataEnd(bytes, filled);
      }
      return parse(bytes, data, offset, maxRecords, closed, offset + filled == size || data < filled);
    }
  }

  /** Reads into {@code bytes} from index {@code from} until it is full or the file ends; how far it is filled. */
  private static int fill(FileChannel channel, byte[] bytes, int from, long offset) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes).position(from);
    while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
      // reads until the buffer is full or the file ends
    }
    return buffer.position();
  }

  private static Chunk parse(byte[] bytes, int filled, long offset, int maxRecords, boolean closed, boolean toEnd) {
    List<UsageRecord> records = new ArrayList<>(Math.min(maxRecords, filled / 200 + 1));
    int skipped = 0;
    int start = 0;
    while (records.size() < maxRecords) {
      int newline = indexOf(bytes, start, filled);
      if (newline < 0) {
        break;
      }
      UsageRecord record = JournalFrame.decode(bytes, start, newline);
      if (record != null) {
        records.add(record);
      } else if (closed) {
        skipped++;
      } else {
        break;
      }
      start = newline + 1;
    }
    boolean finished = closed && toEnd && indexOf(bytes, start, filled) < 0;
    boolean stuck = closed && start == 0 && filled > 0 && indexOf(bytes, 0, filled) < 0;
    if ((finished || stuck) && start < filled) {
      skipped++;
      start = filled;
    }
    return new Chunk(records, offset + start, skipped, finished);
  }

  /** Where the zeros after the last record start, or {@code filled} when there are none. */
  private static int dataEnd(byte[] bytes, int filled) {
    for (int i = 0; i < filled; i++) {
      if (bytes[i] == 0) {
        return i;
      }
    }
    return filled;
  }

  private static int indexOf(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
