package dev.gantry.gateway;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads one text field (the {@code model}) out of a {@code multipart/form-data} body without parsing
 * the rest: the gateway needs the model to pick a replica and passes the form itself on unchanged, or with
 * only that field's value replaced for a route's target or a provider's model.
 */
final class MultipartForms {

  /** The boundary of a multipart content type, or null when it names none. */
  static String boundary(String contentType) {
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      return null;
    }
    for (String parameter : contentType.split(";")) {
      String trimmed = parameter.trim();
      if (trimmed.regionMatches(true, 0, "boundary=", 0, 9)) {
        String value = trimmed.substring(9).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return value.isEmpty() || value.length() > 200 ? null : value;
      }
    }
    return null;
  }

  /** The value of the form's field {@code name} (a part without a file name), or null when there is none. */
  static String field(Buffer body, String boundary, String name) {
    int[] range = valueRange(body, boundary, name);
    return range == null ? null : new String(body.getBytes(range[0], range[1]), StandardCharsets.UTF_8);
  }

  /**
   * The form with the value of its field {@code name} replaced by {@code value} (a route's or provider's own
   * name for the model); every other byte, the file's included, as it was. Unchanged when there is no such field.
   */
  static Buffer withField(Buffer body, String boundary, String name, String value) {
    int[] range = valueRange(body, boundary, name);
    if (range == null) {
      return body;
    }
    byte[] replacement = value.getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer(body.length() - (range[1] - range[0]) + replacement.length)
        .appendBuffer(body, 0, range[0]).appendBytes(replacement).appendBuffer(body, range[1], body.length() - range[1]);
  }

  /** Where the value of the field {@code name} lies in the body ({@code [start, end)} bytes), or null. */
  private static int[] valueRange(Buffer body, String boundary, String name) {
    String text = body.toString(StandardCharsets.ISO_8859_1);
    String delimiter = "--" + boundary;
    int at = text.startsWith(delimiter) ? 0 : text.indexOf("\r\n" + delimiter);
    while (at >= 0) {
      int partStart = text.indexOf("\r\n", at + (at == 0 && text.startsWith(delimiter) ? 0 : 2) + delimiter.length());
      if (partStart < 0) {
        return null;
      }
      int headersEnd = text.indexOf("\r\n\r\n", partStart);
      if (headersEnd < 0) {
        return null;
      }
      int next = text.indexOf("\r\n" + delimiter, headersEnd + 4);
      if (next < 0) {
        return null;
      }
      if (names(text.substring(partStart, headersEnd), name)) {
        return new int[] {headersEnd + 4, next};  // ISO-8859-1 maps each byte to one char: offsets are bytes
      }
      at = next;
    }
    return null;
  }

  /** Whether a part's headers name the field (and it is not a file). */
  private static boolean names(String headers, String name) {
    for (String header : headers.split("\r\n")) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-disposition:")) {
        return !lower.contains("filename=") && (lower.contains("; name=\"" + name + "\"") || lower.contains(";name=\"" + name + "\""));
      }
    }
    return false;
  }

  private MultipartForms() {
  }
}
