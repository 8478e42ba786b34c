package dev.gantry.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;

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
    byte[] encoded = Json.encode(value).getBytes(java.nio.charset.StandardCharsets.UTF_8);
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
        int end = stringEnd(bytes, i);
        if (end < 0) {
          return null;
        }
        if (depth == 1 && expectKey) {
          int colon = skipSpace(bytes, end);
          if (colon >= bytes.length || bytes[colon] != ':') {
            return null;
          }
          int value = skipSpace(bytes, colon + 1);
          if (escapes(bytes, i + 1, end - 1)) {
            return null;
          }
          if (sameKey(bytes, i + 1, end - 1, key)) {
            if (found != null || value >= bytes.length || bytes[value] != '"') {
              return null;
            }
            int valueEnd = stringEnd(bytes, value);
            if (valueEnd < 0) {
              return null;
            }
            found = new int[] {value, valueEnd};
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

  private static boolean escapes(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\\') {
        return true;
      }
    }
    return false;
  }

  /** The index just past the closing quote of the string opening at {@code start}; -1 if it does not close. */
  private static int stringEnd(byte[] bytes, int start) {
    for (int i = start + 1; i < bytes.length; i++) {
      if (bytes[i] == '\\') {
        i++;
      } else if (bytes[i] == '"') {
        return i + 1;
      }
    }
    return -1;
  }

  /** Whether the raw key bytes [from, to) are exactly {@code key}. */
  private static boolean sameKey(byte[] bytes, int from, int to, String key) {
    if (to - from != key.length()) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      if (bytes[from + i] != key.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int skipSpace(byte[] bytes, int i) {
    while (i < bytes.length && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r')) {
      i++;
    }
    return i;
  }

  private TopLevelField() {
  }
}
