package dev.gantry.gateway;

import io.vertx.core.buffer.Buffer;

/** Token counts an engine reported for one request. */
record Usage(int promptTokens, int completionTokens) {

  static final Usage NONE = new Usage(0, 0);

  /** The {@code usage} object of an engine's JSON answer, or null when it has none. */
  static Usage find(Buffer body) {
    return find(body.getBytes());
  }

  /**
   * The last {@code usage} object in the bytes, or null when there is none: read by a scan of its top-level
   * members, not a tree (this runs on every answer; a tree cost a parser, maps and boxed numbers each time).
   */
  static Usage find(byte[] bytes) {
    long span = JsonScan.lastObjectSpan(bytes, "usage");
    if (span < 0) {
      return null;
    }
    return inSpan(bytes, (int) (span >>> 32), (int) span);
  }

  /** The usage read from the object whose braces are at {@code start} and {@code end} (its top-level members only). */
  static Usage inSpan(byte[] bytes, int start, int end) {
    return new Usage(count(bytes, start, end, "prompt_tokens", "input_tokens"),
        count(bytes, start, end, "completion_tokens", "output_tokens"));
  }

  /** OpenAI's chat names ({@code prompt_tokens}, {@code completion_tokens}), or the Responses and images API's ({@code input_tokens}, {@code output_tokens}). */
  private static int count(byte[] bytes, int start, int end, String name, String otherName) {
    long value = JsonScan.topLevelInteger(bytes, start, end, name);
    if (value == JsonScan.ABSENT) {
      value = JsonScan.topLevelInteger(bytes, start, end, otherName);
    }
    return value == JsonScan.ABSENT ? 0 : (int) Math.min(Integer.MAX_VALUE, value);
  }
}
