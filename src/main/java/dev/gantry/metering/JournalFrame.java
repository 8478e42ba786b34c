package dev.gantry.metering;

import dev.gantry.common.UsageRecord;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * One journal line: {@code <crc32c of the JSON, 8 hex digits> <record as JSON>\n}. JSON never holds a raw
 * newline, so a line is a record; a line without its newline, or whose checksum does not match, is a
 * write that a crash cut short (or damage) and is never taken for a record.
 */
final class JournalFrame {

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  static final int PREFIX = 9;

  private JournalFrame() {
  }

  static byte[] encode(UsageRecord record) {
    byte[] json = RecordJson.encode(record).getBytes(StandardCharsets.UTF_8);
    byte[] line = new byte[PREFIX + json.length + 1];
    int crc = crc(json, 0, json.length);
    for (int i = 0; i < 8; i++) {
      line[i] = HEX[(crc >>> (28 - 4 * i)) & 0xf];
    }
    line[8] = ' ';
    System.arraycopy(json, 0, line, PREFIX, json.length);
    line[line.length - 1] = '\n';
    return line;
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
    if (crc(bytes, from + PREFIX, to - from - PREFIX) != expected) {
      return null;
    }
    try {
      return UsageRecord.fromJson(new JsonObject(new String(bytes, from + PREFIX, to - from - PREFIX, StandardCharsets.UTF_8)));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static int crc(byte[] bytes, int from, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, from, length);
    return (int) crc.getValue();
  }
}
