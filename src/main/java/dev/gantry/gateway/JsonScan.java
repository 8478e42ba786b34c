package dev.gantry.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/**
 * Finds a few keys in engine responses without parsing them whole: a large embeddings answer or
 * every chunk of a stream would otherwise be decoded just to read {@code usage}. A key counts only
 * where it is a real key (quoted, not inside an escaped string) followed by a colon.
 */
final class JsonScan {

  /** The object value of the last {@code "key": {...}} in the bytes, or null. */
  static JsonObject lastObject(byte[] bytes, String key) {
    int at = lastValue(bytes, key);
    if (at < 0 || bytes[at] != '{') {
      return null;
    }
    int end = objectEnd(bytes, at);
    if (end < 0) {
      return null;
    }
    try {
      return new JsonObject(Buffer.buffer(Arrays.copyOfRange(bytes, at, end + 1)));
    } catch (DecodeException e) {
      return null;
    }
  }

  /** Whether the value of the first {@code "key"} is an empty array. */
  static boolean emptyArray(byte[] bytes, String key) {
    int at = firstValue(bytes, key);
    return at >= 0 && bytes[at] == '[' && skipSpace(bytes, at + 1) < bytes.length
        && bytes[skipSpace(bytes, at + 1)] == ']';
  }

  /** Whether some {@code "key"} has a non-empty string value. */
  static boolean nonEmptyString(byte[] bytes, String key) {
    for (int from = 0; ; ) {
      int at = valueAfter(bytes, key, from, true);
      if (at < 0) {
        return false;
      }
      if (bytes[at] == '"' && at + 1 < bytes.length && bytes[at + 1] != '"') {
        return true;
      }
      from = at;
    }
  }

  /** Whether some {@code "key"} has an object value. */
  static boolean hasObject(byte[] bytes, String key) {
    int at = firstValue(bytes, key);
    return at >= 0 && bytes[at] == '{';
  }

  static boolean contains(byte[] bytes, String ascii) {
    return indexOf(bytes, ascii, 0, true) >= 0;
  }

  private static int firstValue(byte[] bytes, String key) {
    return valueAfter(bytes, key, 0, true);
  }

  private static int lastValue(byte[] bytes, String key) {
    return valueAfter(bytes, key, bytes.length, false);
  }

  /** Index of the first byte of the value of {@code "key"} searching forward or backward from {@code from}; -1 if none. */
  private static int valueAfter(byte[] bytes, String key, int from, boolean forward) {
    String quoted = '"' + key + '"';
    int at = from;
    while (true) {
      at = forward ? indexOf(bytes, quoted, at, true) : indexOf(bytes, quoted, at - 1, false);
      if (at < 0) {
        return -1;
      }
      int colon = skipSpace(bytes, at + quoted.length());
      boolean escaped = at > 0 && bytes[at - 1] == '\\';
      if (!escaped && colon < bytes.length && bytes[colon] == ':') {
        int value = skipSpace(bytes, colon + 1);
        return value < bytes.length ? value : -1;
      }
      at = forward ? at + 1 : at;
    }
  }

  private static int indexOf(byte[] bytes, String ascii, int from, boolean forward) {
    int n = ascii.length();
    int last = bytes.length - n;
    for (int i = forward ? from : Math.min(from, last); forward ? i <= last : i >= 0; i += forward ? 1 : -1) {
      int j = 0;
      while (j < n && bytes[i + j] == ascii.charAt(j)) {
        j++;
      }
      if (j == n) {
        return i;
      }
    }
    return -1;
  }

  private static int skipSpace(byte[] bytes, int i) {
    while (i < bytes.length && (bytes[i] == ' ' || bytes[i] == '\t'
        || bytes[i] == '\n' || bytes[i] == '\r')) {
      i++;
    }
    return i;
  }

  /** Index of the brace closing the object that starts at {@code start}, strings respected; -1 if it does not close. */
  private static int objectEnd(byte[] bytes, int start) {
    int depth = 0;
    boolean inString = false;
    for (int i = start; i < bytes.length; i++) {
      byte b = bytes[i];
      if (inString) {
        if (b == '\\') {
          i++;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '{') {
        depth++;
      } else if (b == '}' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  private JsonScan() {
  }
}
