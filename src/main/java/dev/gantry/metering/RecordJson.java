package dev.gantry.metering;

import dev.gantry.common.UsageRecord;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A usage record as one line of JSON, the values {@link UsageRecord#toJson} names listed in a fixed order
 * ({@link #FIELDS}), written as UTF-8 straight into a reusable byte array: the journal writes one per
 * gateway request on the event loop, where a map of eighteen entries and a generator, or even a
 * {@code StringBuilder} copied into a {@code String} and then into bytes, cost more than the write itself.
 * The reader ({@link #decode}) parses it with the ordinary JSON parser, and still reads the object lines
 * that versions before this one wrote. Not thread-safe: one per thread (a journal lane).
 */
final class RecordJson {

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  /** The record's fields, as {@link UsageRecord#toJson} names them, in the order a line lists their values. */
  static final List<String> FIELDS = List.of("id", "request_id", "created_at", "user_id", "username", "api_key_id",
      "model", "instance_id", "node_name", "gateway_node", "operation", "prompt_tokens", "completion_tokens",
      "duration_ms", "ttft_ms", "status", "outcome", "cost");

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

  /**
   * Appends the record as a JSON array of its values in {@link #FIELDS}'s order: the key names a JSON object
   * would repeat in every line were 200 of its 390 bytes, and on a virtual machine where a page fault is
   * dear the journal's cost grows with its bytes (see ARCHITECTURE, gateway hot path).
   */
  RecordJson write(UsageRecord record) {
    put((byte) '[');
    text(record.id()).put((byte) ',');
    text(record.requestId()).put((byte) ',');
    text(record.createdAt().toString()).put((byte) ',');
    digits(record.userId()).put((byte) ',');
    text(record.username()).put((byte) ',');
    text(record.apiKeyId()).put((byte) ',');
    text(record.model()).put((byte) ',');
    text(record.instanceId()).put((byte) ',');
    text(record.nodeName()).put((byte) ',');
    text(record.gatewayNode()).put((byte) ',');
    text(record.operation()).put((byte) ',');
    digits(record.promptTokens()).put((byte) ',');
    digits(record.completionTokens()).put((byte) ',');
    digits(record.durationMs()).put((byte) ',');
    if (record.ttftMs() == null) {
      ascii("null");
    } else {
      digits(record.ttftMs());
    }
    put((byte) ',');
    digits(record.status()).put((byte) ',');
    text(record.outcome()).put((byte) ',');
    Double cost = record.cost();
    ascii(cost == null || !Double.isFinite(cost) ? "null" : Double.toString(cost));
    return put((byte) ']');
  }

  /**
   * The record of a journal line's JSON: an array in {@link #FIELDS}'s order (this version's lines) or an
   * object with those keys (the lines of versions before it, still in a journal an upgraded node ships).
   */
  static UsageRecord decode(String json) {
    Object parsed = Json.decodeValue(json);
    if (parsed instanceof JsonObject object) {
      return UsageRecord.fromJson(object);
    }
    JsonArray values = (JsonArray) parsed;
    if (values.size() != FIELDS.size()) {
      throw new IllegalArgumentException("a usage line holds " + values.size() + " values, not " + FIELDS.size());
    }
    JsonObject object = new JsonObject();
    for (int i = 0; i < FIELDS.size(); i++) {
      object.put(FIELDS.get(i), values.getValue(i));
    }
    return UsageRecord.fromJson(object);
  }

  /** Appends one byte. */
  RecordJson put(byte b) {
    room(1);
    bytes[length++] = b;
    return this;
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

  private RecordJson text(String value) {
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
