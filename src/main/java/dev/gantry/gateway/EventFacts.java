package dev.gantry.gateway;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * What {@link StreamTally} needs of one engine event, read in a single pass over the bytes where they lie (the
 * event's own array, no copy): whether it is {@code [DONE]}, whether it carries an {@code error} object, the
 * counts of its last {@code usage} object, whether its first {@code choices} is empty, and whether some
 * {@code content} or {@code text} key has a non-empty string. The pass walks the JSON's strings, so a key is
 * a quoted name followed by a colon and nothing inside a string value ever counts as one. One instance per
 * stream, reused for each event (events are read one at a time on the stream's event loop); it keeps no reference
 * to the event's bytes.
 */
final class EventFacts {

  private static final int SHORT_EVENT = 40;
  private static final byte[] DONE = {'[', 'D', 'O', 'N', 'E', ']'};

  private boolean done;
  private boolean error;
  private boolean text;
  private boolean choicesEmpty;
  private Usage usage;

  /** Reads one whole event; the answers below are about it until the next call. */
  EventFacts read(Buffer event) {
    ByteBuf buf = event instanceof BufferInternal internal ? internal.getByteBuf() : null;
    if (buf != null && buf.hasArray()) {
      int from = buf.arrayOffset() + buf.readerIndex();
      return read(buf.array(), from, from + buf.readableBytes());
    }
    byte[] copy = event.getBytes();
    return read(copy, 0, copy.length);
  }

  /** Reads the event in {@code bytes[from, to)}. */
  EventFacts read(byte[] bytes, int from, int to) {
    done = to - from < SHORT_EVENT && contains(bytes, from, to, DONE);
    error = false;
    text = false;
    choicesEmpty = false;
    usage = null;
    if (done) {
      return this;
    }
    boolean choicesSeen = false;
    int usageValue = -1;
    for (int i = from; i < to; i++) {
      if (bytes[i] != '"') {
        continue;
      }
      int close = closingQuote(bytes, i, to);
      if (close < 0) {
        break;
      }
      int colon = skipSpace(bytes, close + 1, to);
      if (colon < to && bytes[colon] == ':') {
        int value = skipSpace(bytes, colon + 1, to);
        if (value >= to) {
          break;
        }
        int length = close - i - 1;
        if (length == 5 && JsonScan.sameAscii(bytes, i + 1, close, "error")) {
          error |= bytes[value] == '{';
        } else if (length == 5 && JsonScan.sameAscii(bytes, i + 1, close, "usage")) {
          usageValue = value;
        } else if (length == 7 && !choicesSeen && JsonScan.sameAscii(bytes, i + 1, close, "choices")) {
          choicesSeen = true;
          choicesEmpty = bytes[value] == '[' && skipSpace(bytes, value + 1, to) < to
              && bytes[skipSpace(bytes, value + 1, to)] == ']';
        } else if (!text && (length == 7 && JsonScan.sameAscii(bytes, i + 1, close, "content")
            || length == 4 && JsonScan.sameAscii(bytes, i + 1, close, "text"))) {
          text = bytes[value] == '"' && value + 1 < to && bytes[value + 1] != '"';
        }
        i = colon;
      } else {
        i = close;
      }
    }
    if (usageValue >= 0 && bytes[usageValue] == '{') {
      int end = objectEnd(bytes, usageValue, to);
      usage = end < 0 ? null : Usage.inSpan(bytes, usageValue, end);
    }
    return this;
  }

  boolean done() {
    return done;
  }

  boolean error() {
    return error;
  }

  boolean text() {
    return text;
  }

  /** Whether the event's first {@code choices} is an empty array (the usage-only chunk). */
  boolean choicesEmpty() {
    return choicesEmpty;
  }

  /** The usage of the event's last {@code usage} object, or null when it has none (or it is not an object). */
  Usage usage() {
    return usage;
  }

  private static int closingQuote(byte[] bytes, int open, int to) {
    for (int i = open + 1; i < to; i++) {
      if (bytes[i] == '\\') {
        i++;
      } else if (bytes[i] == '"') {
        return i;
      }
    }
    return -1;
  }

  private static int skipSpace(byte[] bytes, int i, int to) {
    while (i < to && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r')) {
      i++;
    }
    return i;
  }

  /** Index of the brace closing the object that opens at {@code start}, strings respected; -1 if it does not close. */
  private static int objectEnd(byte[] bytes, int start, int to) {
    int depth = 0;
    for (int i = start; i < to; i++) {
      byte b = bytes[i];
      if (b == '"') {
        i = closingQuote(bytes, i, to);
        if (i < 0) {
          return -1;
        }
      } else if (b == '{') {
        depth++;
      } else if (b == '}' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  private static boolean contains(byte[] bytes, int from, int to, byte[] wanted) {
    outer:
    for (int i = from; i <= to - wanted.length; i++) {
      for (int j = 0; j < wanted.length; j++) {
        if (bytes[i + j] != wanted[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
