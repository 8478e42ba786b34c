package dev.gantry.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import java.nio.charset.StandardCharsets;

/**
 * Rewrites one top-level string field of a JSON object in its bytes, leaving every other byte as the
 * client sent it: a route's target renames {@code model} without decoding, copying and encoding the whole
 * request again. Keys nested in other objects or arrays (a tool's parameters, a message's metadata) are
 * not the top-level field and stay as they are.
 */
final class TopLevelField {

  /** The object with {@code key}'s string value replaced by {@code value}; null when it has no such top-level string. */
  static Buffer withString(Buffer json, String key, String value) {
    byte[] bytes = json.getBytes();
    int[] span = stringValue(bytes, key);
    if (span == null) {
      return null;
    }
    byte[] encoded = quoted(value);
    return Buffer.buffer(bytes.length - (span[1] - span[0]) + encoded.length)
        .appendBytes(bytes, 0, span[0]).appendBytes(encoded).appendBytes(bytes, span[1], bytes.length - span[1]);
  }

  /**
   * The [start, end) of the quoted string value of the top-level {@code key}, quotes included; null if there is
   * none, or if the object could name it twice (a repeated key, or a key written with escapes), which the caller
   * leaves to a JSON parser.
   */
  static int[] stringValue(byte[] bytes, String key) {
    int[] found = null;
    int depth = 0;
    boolean expectKey = false;
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b == '"') {
        int close = JsonScan.stringEnd(bytes, i, bytes.length - 1);
        if (close < 0) {
          return null;
        }
        int end = close + 1;
        if (depth == 1 && expectKey) {
          int colon = JsonScan.skipSpace(bytes, end);
          if (colon >= bytes.length || bytes[colon] != ':') {
            return null;
          }
          int value = JsonScan.skipSpace(bytes, colon + 1);
          if (escapes(bytes, i + 1, close)) {
            return null;
          }
          if (JsonScan.sameAscii(bytes, i + 1, close, key)) {
            if (found != null || value >= bytes.length || bytes[value] != '"') {
              return null;
            }
            int valueClose = JsonScan.stringEnd(bytes, value, bytes.length - 1);
            if (valueClose < 0) {
              return null;
            }
            found = new int[] {value, valueClose + 1};
          }
          expectKey = false;
          i = colon;
          continue;
        }
        i = end - 1;
      } else if (b == '{' || b == '[') {
        depth++;
        expectKey = depth == 1 && b == '{';
      } else if (b == '}' || b == ']') {
        depth--;
      } else if (b == ',' && depth == 1) {
        expectKey = true;
      }
    }
    return found;
  }

  /** {@code value} as a JSON string: quoted as it is when it needs no escape (a model's name), else by Jackson. */
  static byte[] quoted(String value) {
    int length = value.length();
    byte[] plain = new byte[length + 2];
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return Json.encode(value).getBytes(StandardCharsets.UTF_8);
      }
      plain[i + 1] = (byte) c;
    }
    plain[0] = '"';
    plain[length + 1] = '"';
    return plain;
  }

  private static boolean escapes(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\\') {
        return true;
      }
    }
    return false;
  }

  private TopLevelField() {
  }
}
