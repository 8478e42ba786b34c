package dev.gantry.node.device;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the values vendor tools print: numbers with or without units ({@code 30 C}, {@code 49.0C},
 * {@code 16376 MiB}, {@code 104W}, {@code 0%}), and the many ways of saying "not available"
 * ({@code N/A}, {@code [N/A]}, {@code [Insufficient Permissions]}, {@code -}, {@code NA}), which read as null.
 */
final class Readings {

  static final long MIB = 1L << 20;
  private static final Pattern NUMBER = Pattern.compile("^\\s*(-?\\d+(?:\\.\\d+)?)\\s*([A-Za-z%]*)\\s*$");

  private Readings() {
  }

  /** The text, or null when it says nothing (blank, N/A, a bracketed message, a dash). */
  static String text(String value) {
    if (value == null) {
      return null;
    }
    String v = value.strip();
    if (v.isEmpty() || v.equals("-") || v.equalsIgnoreCase("N/A") || v.equalsIgnoreCase("NA")
        || (v.startsWith("[") && v.endsWith("]")) || (v.startsWith("<") && v.endsWith(">"))) {
      return null;
    }
    return v;
  }

  /** The number at the start of a reading, whatever unit follows it; null when there is none. */
  static Double number(String value) {
    String v = text(value);
    if (v == null) {
      return null;
    }
    Matcher m = NUMBER.matcher(v);
    return m.matches() ? Double.valueOf(m.group(1)) : null;
  }

  static Integer integer(String value) {
    Double n = number(value);
    return n == null ? null : (int) Math.round(n);
  }

  /** Bytes from a memory reading; a bare number is taken in {@code defaultUnit} (MiB, MB, B, ...). */
  static Long bytes(String value, String defaultUnit) {
    String v = text(value);
    if (v == null) {
      return null;
    }
    Matcher m = NUMBER.matcher(v);
    if (!m.matches()) {
      return null;
    }
    String unit = m.group(2).isEmpty() ? defaultUnit : m.group(2);
    return Math.round(Double.parseDouble(m.group(1)) * unitBytes(unit));
  }

  /** Bytes of one unit; MB and GB as the tools use them (they mean MiB and GiB). */
  static long unitBytes(String unit) {
    return switch (unit.toUpperCase(Locale.ROOT)) {
      case "B" -> 1L;
      case "KB", "KIB" -> 1L << 10;
      case "MB", "MIB" -> MIB;
      case "GB", "GIB" -> 1L << 30;
      default -> throw new IllegalArgumentException("unknown memory unit '" + unit + "'");
    };
  }

  /** {@code used/total} as two readings, e.g. {@code 3317/65536} or {@code 0 MiB/ 23374 MiB}; nulls when absent. */
  static Long[] usedAndTotal(String value, String defaultUnit) {
    String v = text(value);
    if (v == null || !v.contains("/")) {
      return new Long[] {null, null};
    }
    String[] parts = v.split("/", 2);
    String unit = defaultUnit;
    Matcher total = NUMBER.matcher(parts[1].strip());
    if (total.matches() && !total.group(2).isEmpty()) {
      unit = total.group(2);
    }
    return new Long[] {bytes(parts[0], unit), bytes(parts[1], unit)};
  }
}
