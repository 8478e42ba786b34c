package dev.gantry.metering;

import dev.gantry.common.UsageRecord;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A usage record as the one line of JSON {@link UsageRecord#toJson} describes, written as UTF-8 straight
 * into a reusable byte array: the journal writes one per gateway request on the event loop, where a map of
 * seventeen entries and a generator, or even a {@code StringBuilder} copied into a {@code String} and then
 * into bytes, cost more than the write itself. The reader ({@link JournalFrame#decode}) parses it with the
 * ordinary JSON parser, so the two stay one format. Not thread-safe: one per thread (a journal lane).
 */
final class RecordJson {

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private byte[] bytes = new byte[1024];
  private int length;

  /** The record's JSON as a string (tests, tools). */
  static String encode(UsageRecord record) {
    RecordJson json = new RecordJson();
    json.write(record);
    return new String(json.bytes, 0, json.length, StandardCharsets.UTF_8);
  }

  /** Starts over with {@code reserved} bytes left free in front (a frame's prefix). */
  RecordJson reset(int reserved) {
    length = reserved;
    return this;
  }

  byte[] bytes() {
    return bytes;
  }

  int length() {
    return length;
  }

  /** Appends the record's JSON. */
  RecordJson write(UsageRecord record) {
    put((byte) '{');
    string("id", record.id()).put((byte) ',');
    string("request_id", record.requestId()).put((byte) ',');
    string("created_at", record.createdAt().toString()).put((byte) ',');
    number("user_id", record.userId()).put((byte) ',');
    string("username", record.username()).put((byte) ',');
    string("api_key_id", record.apiKeyId()).put((byte) ',');
    string("model", record.model()).put((byte) ',');
    string("instance_id", record.instanceId()).put((byte) ',');
    string("node_name", record.nodeName()).put((byte) ',');
    string("gateway_node", record.gatewayNode()).put((byte) ',');
    string("operation", record.operation()).put((byte) ',');
    number("prompt_tokens", record.promptTokens()).put((byte) ',');
    number("completion_tokens", record.completionTokens()).put((byte) ',');
    number("duration_ms", record.durationMs()).put((byte) ',');
    name("ttft_ms");
    if (record.ttftMs() == null) {
      ascii("null");
    } else {
      digits(record.ttftMs());
    }
    put((byte) ',');
    number("status", record.status()).put((byte) ',');
    string("outcome", record.outcome()).put((byte) ',');
    name("cost");
    Double cost = record.cost();
    ascii(cost == null || !Double.isFinite(cost) ? "null" : Double.toString(cost));
    return put((byte) '}');
  }

  /** Appends one byte. */
  RecordJson put(byte b) {
    room(1);
    bytes[length++] = b;
    return this;
  }

  private RecordJson name(String name) {
    put((byte) '"');
    ascii(name);
    return put((byte) '"').put((byte) ':');
  }

  private RecordJson number(String name, long value) {
    name(name);
    return digits(value);
  }

  private RecordJson digits(long value) {
    if (value < 0) {
      if (value == Long.MIN_VALUE) {
        return ascii(Long.toString(value));
      }
      put((byte) '-');
      value = -value;
    }
    int count = 1;
    for (long rest = value / 10; rest > 0; rest /= 10) {
      count++;
    }
    room(count);
    for (int i = length + count - 1; i >= length; i--) {
      bytes[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    length += count;
    return this;
  }

  private RecordJson ascii(String text) {
    room(text.length());
    for (int i = 0; i < text.length(); i++) {
      bytes[length++] = (byte) text.charAt(i);
    }
    return this;
  }

  private RecordJson string(String name, String value) {
    name(name);
    if (value == null) {
      return ascii("null");
    }
    room(value.length() * 6 + 2);
    bytes[length++] = '"';
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
        bytes[length++] = (byte) c;
      } else if (c == '"' || c == '\\') {
        bytes[length++] = '\\';
        bytes[length++] = (byte) c;
      } else if (c == '\n') {
        bytes[length++] = '\\';
        bytes[length++] = 'n';
      } else if (c == '\r') {
        bytes[length++] = '\\';
        bytes[length++] = 'r';
      } else if (c == '\t') {
        bytes[length++] = '\\';
        bytes[length++] = 't';
      } else if (c < 0x20 || c == '\u2028' || c == '\u2029') {
        bytes[length++] = '\\';
        bytes[length++] = 'u';
        bytes[length++] = HEX[c >> 12 & 0xf];
        bytes[length++] = HEX[c >> 8 & 0xf];
        bytes[length++] = HEX[c >> 4 & 0xf];
        bytes[length++] = HEX[c & 0xf];
      } else if (c < 0x800) {
        bytes[length++] = (byte) (0xc0 | c >> 6);
        bytes[length++] = (byte) (0x80 | c & 0x3f);
      } else if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        int point = Character.toCodePoint(c, value.charAt(++i));
        bytes[length++] = (byte) (0xf0 | point >> 18);
        bytes[length++] = (byte) (0x80 | point >> 12 & 0x3f);
        bytes[length++] = (byte) (0x80 | point >> 6 & 0x3f);
        bytes[length++] = (byte) (0x80 | point & 0x3f);
      } else if (Character.isSurrogate(c)) {
        bytes[length++] = '?'; // a lone surrogate, as String.getBytes(UTF_8) writes it
      } else {
        bytes[length++] = (byte) (0xe0 | c >> 12);
        bytes[length++] = (byte) (0x80 | c >> 6 & 0x3f);
        bytes[length++] = (byte) (0x80 | c & 0x3f);
      }
    }
    bytes[length++] = '"';
    return this;
  }

  private void room(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }
}
