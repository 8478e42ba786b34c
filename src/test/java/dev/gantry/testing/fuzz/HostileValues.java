package dev.gantry.testing.fuzz;

import java.util.List;

/**
 * The inputs that break parsers, validators and databases: JSON values (as raw JSON text, so that
 * {@code 1e400}, {@code -0} and lone surrogate escapes reach the server as written), path segments
 * and query values (already percent-encoded).
 */
public final class HostileValues {

  /** A value with a label that says what it is, for failure reports. */
  public record Value(String label, String text) {
  }

  public static final int MEGABYTE = 1_000_000;

  /** Cheap JSON values: wrong types, out-of-range numbers, odd strings. */
  public static final List<Value> JSON = List.of(
      new Value("null", "null"),
      new Value("true", "true"),
      new Value("zero", "0"),
      new Value("minus one", "-1"),
      new Value("minus zero", "-0"),
      new Value("fraction", "1.5"),
      new Value("1e400", "1e400"),
      new Value("-1e400", "-1e400"),
      new Value("2^31", "2147483648"),
      new Value("2^63", "9223372036854775808"),
      new Value("-2^63-1", "-9223372036854775809"),
      new Value("huge integer", "1" + "0".repeat(400)),
      new Value("empty string", "\"\""),
      new Value("blank string", "\"   \""),
      new Value("number as string", "\"42\""),
      new Value("empty array", "[]"),
      new Value("array of null", "[null]"),
      new Value("empty object", "{}"),
      new Value("nested object", "{\"a\":{\"b\":[1,{\"c\":null}]}}"),
      new Value("NUL", "\"\\u0000\""),
      new Value("NUL inside", "\"fuzz\\u0000value\""),
      new Value("lone high surrogate", "\"\\ud800\""),
      new Value("lone low surrogate", "\"x\\udfffy\""),
      new Value("RTL override", "\"\\u202etxt.exe\""),
      new Value("combining marks", "\"e\\u0301\\u0301\\u0301\\u0301\\u0301\""),
      new Value("astral plane", "\"\uD83D\uDE00 \uD835\uDD4F\""),
      new Value("control characters", "\"\\u0001\\u001b[31m\\r\\n\""),
      new Value("path traversal", "\"../../../../etc/passwd\""),
      new Value("SQL", "\"' OR 1=1; DROP TABLE users; --\""),
      new Value("template", "\"{{api_key}} ${jndi:ldap://x}\""),
      new Value("10k string", "\"" + "a".repeat(10_000) + "\""));

  private static final List<String> WRONG_TYPES = List.of("null", "true", "zero", "empty string", "empty array",
      "empty object", "NUL");
  private static final List<String> FOR_STRINGS = List.of("1e400", "blank string", "array of null", "nested object",
      "NUL inside", "lone high surrogate", "lone low surrogate", "RTL override", "combining marks", "astral plane",
      "control characters", "path traversal", "SQL", "template", "10k string");
  private static final List<String> FOR_NUMBERS = List.of("minus one", "minus zero", "fraction", "1e400", "-1e400",
      "2^31", "2^63", "-2^63-1", "huge integer", "number as string");
  private static final List<String> FOR_ENUMS = List.of("lone high surrogate", "RTL override", "combining marks",
      "10k string", "number as string");
  private static final List<String> FOR_CONTAINERS = List.of("array of null", "nested object", "2^63",
      "lone high surrogate");

  /**
   * The values worth sending to a field of the given type ({@code string, number, boolean, enum, array,
   * object}): every wrong type once, and the edge cases of its own type.
   */
  public static List<Value> forType(String type) {
    List<String> own = switch (type) {
      case "string" -> FOR_STRINGS;
      case "number" -> FOR_NUMBERS;
      case "enum" -> FOR_ENUMS;
      case "array", "object" -> FOR_CONTAINERS;
      default -> List.of("number as string", "minus one");
    };
    return JSON.stream().filter(v -> WRONG_TYPES.contains(v.label()) || own.contains(v.label())).toList();
  }

  /** Expensive JSON values, sent once per field or once per operation. */
  public static final List<Value> BIG_JSON = List.of(
      new Value("1 MB string", "\"" + "x".repeat(MEGABYTE) + "\""),
      new Value("10,000 nested arrays", "[".repeat(10_000) + "]".repeat(10_000)),
      new Value("10,000 nested objects", "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)),
      new Value("900 nested arrays", "[".repeat(900) + "]".repeat(900)));

  /** Path segments, percent-encoded as they go on the wire. */
  public static final List<Value> PATH = List.of(
      new Value("zero", "0"),
      new Value("negative", "-1"),
      new Value("2^63-1", "9223372036854775807"),
      new Value("2^63", "9223372036854775808"),
      new Value("huge number", "9".repeat(40)),
      new Value("exponent", "1e3"),
      new Value("hex", "0x10"),
      new Value("word", "no-such-thing"),
      new Value("NUL", "%00"),
      new Value("NUL inside", "a%00b"),
      new Value("dot dot", ".."),
      new Value("encoded traversal", "..%2F..%2Fetc%2Fpasswd"),
      new Value("encoded dots", "%2e%2e"),
      new Value("encoded slash", "%2F"),
      new Value("bare percent", "%"),
      new Value("bad escape", "%zz"),
      new Value("surrogate as UTF-8", "%ED%A0%80"),
      new Value("invalid UTF-8", "%FF%FE"),
      new Value("RTL override", "%E2%80%AE"),
      new Value("astral plane", "%F0%9F%98%80"),
      new Value("space", "%20"),
      new Value("star", "*"),
      new Value("300 chars", "a".repeat(300)),
      new Value("10k chars", "a".repeat(10_000)));

  /** Query values, percent-encoded as they go on the wire. */
  public static final List<Value> QUERY = List.of(
      new Value("empty", ""),
      new Value("word", "abc"),
      new Value("negative", "-1"),
      new Value("zero", "0"),
      new Value("2^31-1", "2147483647"),
      new Value("2^31", "2147483648"),
      new Value("huge number", "9".repeat(40)),
      new Value("1e400", "1e400"),
      new Value("fraction", "1.5"),
      new Value("TRUE", "TRUE"),
      new Value("NUL", "%00"),
      new Value("commas", ",,,-,"),
      new Value("dash", "-"),
      new Value("traversal", "..%2F..%2Fetc"),
      new Value("surrogate as UTF-8", "%ED%A0%80"),
      new Value("invalid UTF-8", "%FF"),
      new Value("bad escape", "%zz"),
      new Value("RTL and combining", "%E2%80%AEe%CC%81"),
      new Value("astral plane", "%F0%9F%98%80"),
      new Value("SQL", "'%20OR%201%3D1--"),
      new Value("date without time zone", "2025-01-31T00:00:00"),
      new Value("year 999999999", "%2B999999999-12-31T23:59:59Z"),
      new Value("5k chars", "a".repeat(5_000)));

  private HostileValues() {
  }
}
