package dev.gantry.metering;

import dev.gantry.common.UsageRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * One journal line: {@code <crc32c of the JSON, 8 hex digits> <record as JSON>\n}, the JSON as
 * {@link RecordJson} writes it. JSON never holds a raw newline, so a line is a record; a line without its
 * newline, or whose checksum does not match, is a write that a crash cut short (or damage) and is never
 * taken for a record.
 */
final class JournalFrame {

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  static final int PREFIX = 9;

  private final RecordJson json = new RecordJson();
  private final CRC32C crc = new CRC32C();

  /** The framed line of {@code record}, built in this frame's reusable array (valid until the next call). */
  ByteBuffer frame(UsageRecord record) {
    json.reset(PREFIX).write(record).put((byte) '\n');
    byte[] line = json.bytes();
    int end = json.length() - 1;
    crc.reset();
    crc.update(line, PREFIX, end - PREFIX);
    int sum = (int) crc.getValue();
    for (int i = 0; i < 8; i++) {
      line[i] = HEX[(sum >>> (28 - 4 * i)) & 0xf];
    }
    line[8] = ' ';
    return ByteBuffer.wrap(line, 0, json.length());
  }

  /** The framed line of {@code record} in an array of its own. */
  static byte[] encode(UsageRecord record) {
    ByteBuffer line = new JournalFrame().frame(record);
    return Arrays.copyOf(line.array(), line.limit());
  }

  /** The record of the line {@code bytes[from, to)} (without its newline), or null when it is torn or damaged. */
  static UsageRecord decode(byte[] bytes, int from, int to) {
    if (to - from <= PREFIX || bytes[from + 8] != ' ') {
      return null;
    }
    int expected = 0;
    for (int i = 0; i < 8; i++) {
      int digit = Character.digit(bytes[from + i], 16);
      if (digit < 0) {
        return null;
      }
      expected = (expected << 4) | digit;
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, from + PREFIX, to - from - PREFIX);
    if ((int) crc.getValue() != expected) {
      return null;
    }
    try {
      return RecordJson.decode(new String(bytes, from + PREFIX, to - from - PREFIX, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
