package dev.gantry.gateway;

/**
 * Finds a few keys in engine responses without parsing them whole: a large embeddings answer or
 * every chunk of a stream would otherwise be decoded just to read {@code usage}. A key counts only
 * where it is a real key (quoted, not inside an escaped string) followed by a colon.
 */
final class JsonScan {

  /**
   * Where the object value of the last {@code "key": {...}} lies: its opening brace in the high 32 bits,
   * its closing brace in the low; -1 when there is none or it does not close.
   */
  static long lastObjectSpan(byte[] bytes, String key) {
    int at = lastValue(bytes, key);
    if (at < 0 || bytes[at] != '{') {
      return -1;
    }
    int end = objectEnd(bytes, at);
    return end < 0 ? -1 : (long) at << 32 | end;
  }

  /** {@link #topLevelInteger}'s answer when the object has no such key. */
  static final long ABSENT = Long.MIN_VALUE;

  /**
   * The value of {@code "key"} among the top-level members of the object whose braces are at {@code start}
   * and {@code end} (nested objects' keys do not count): its integer part, clamped at 0 when negative;
   * 0 when the value is not a number; {@link #ABSENT} without the key. Reads no tree and allocates nothing.
   */
  static long topLevelInteger(byte[] bytes, int start, int end, String key) {
    int depth = 0;
    boolean expectKey = false;
    for (int i = start; i <= end; i++) {
      byte b = bytes[i];
      if (b == '"') {
        int close = stringEnd(bytes, i, end);
        if (close < 0) {
          return ABSENT;
        }
        if (depth == 1 && expectKey) {
          int colon = skipSpace(bytes, close + 1);
          if (colon <= end && bytes[colon] == ':' && sameAscii(bytes, i + 1, close, key)) {
            return integerAt(bytes, skipSpace(bytes, colon + 1), end);
          }
          expectKey = false;
        }
        i = close;
      } else if (b == '{' || b == '[') {
        depth++;
        expectKey = b == '{' && depth == 1;
      } else if (b == '}' || b == ']') {
        depth--;
      } else if (b == ',' && depth == 1) {
        expectKey = true;
      }
    }
    return ABSENT;
  }

  /** Index of the quote closing the string that opens at {@code open}, escapes respected; -1 past {@code end}. */
  static int stringEnd(byte[] bytes, int open, int end) {
    for (int i = open + 1; i <= end; i++) {
      if (bytes[i] == '\\') {
        i++;
      } else if (bytes[i] == '"') {
        return i;
      }
    }
    return -1;
  }

  /** Whether the raw bytes [from, to) are exactly {@code ascii}. */
  static boolean sameAscii(byte[] bytes, int from, int to, String ascii) {
    if (to - from != ascii.length()) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (bytes[from + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static long integerAt(byte[] bytes, int at, int end) {
    boolean negative = at <= end && bytes[at] == '-';
    int i = negative ? at + 1 : at;
    long value = 0;
    int digits = 0;
    while (i <= end && bytes[i] >= '0' && bytes[i] <= '9' && digits < 18) {
      value = value * 10 + (bytes[i++] - '0');
      digits++;
    }
    return digits == 0 || negative ? 0 : value;
  }

  /** Index of the first byte of the value of the last {@code "key"}; -1 if none. */
  private static int lastValue(byte[] bytes, String key) {
    for (int at = bytes.length; ; ) {
      at = lastIndexOfQuoted(bytes, key, at - 1);
      if (at < 0) {
        return -1;
      }
      int colon = skipSpace(bytes, at + key.length() + 2);
      boolean escaped = at > 0 && bytes[at - 1] == '\\';
      if (!escaped && colon < bytes.length && bytes[colon] == ':') {
        int value = skipSpace(bytes, colon + 1);
        return value < bytes.length ? value : -1;
      }
    }
  }

  /** Where the last {@code "key"} (with its quotes) at or before {@code from} starts; no string is built for it. */
  private static int lastIndexOfQuoted(byte[] bytes, String key, int from) {
    int n = key.length();
    for (int i = Math.min(from, bytes.length - n - 2); i >= 0; i--) {
      if (bytes[i] == '"' && bytes[i + n + 1] == '"' && sameAscii(bytes, i + 1, i + 1 + n, key)) {
        return i;
      }
    }
    return -1;
  }

  /** The first index from {@code i} that is not JSON white space (bytes.length if none). */
  static int skipSpace(byte[] bytes, int i) {
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
