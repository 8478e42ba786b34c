package dev.gantry.gateway;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a Server-Sent Events byte stream into whole events (each ending with a blank line), whatever
 * the network chunking, keeping every event's bytes exactly as the engine sent them.
 */
final class SseSplitter {

  /** Never appended to: a tail is always copied into a buffer of its own. */
  private static final Buffer EMPTY = Buffer.buffer();

  private Buffer pending = EMPTY;
  private int scanned;

  /**
   * The events completed by this chunk, in order; an unfinished tail is kept for the next chunk. Scans the
   * buffer in place (no copy of its bytes), and a chunk that is exactly one event is answered as it came.
   */
  List<Buffer> feed(Buffer chunk) {
    if (pending.length() == 0) {
      pending = chunk;
    } else {
      pending = pending.copy().appendBuffer(chunk);
    }
    Buffer first = null;
    List<Buffer> events = null;
    int start = 0;
    int length = pending.length();
    for (int i = Math.max(scanned, 0); i < length; i++) {
      int end = eventEnd(pending, i, length);
      if (end > 0) {
        Buffer event = start == 0 && end == length ? pending : pending.slice(start, end);
        if (first == null) {
          first = event;
        } else {
          if (events == null) {
            events = new ArrayList<>(4);
            events.add(first);
          }
          events.add(event);
        }
        start = end;
        i = end - 1;
      }
    }
    if (start == length) {
      pending = EMPTY;
      scanned = 0;
    } else {
      pending = start == 0 ? pending : pending.getBuffer(start, length);
      scanned = Math.max(0, pending.length() - 3);
    }
    return events != null ? events : first != null ? List.of(first) : List.of();
  }

  /** Bytes received after the last complete event (an engine that stopped mid-event). */
  int pendingBytes() {
    return pending.length();
  }

  /** The end (exclusive) of an event whose blank line starts with the newline at {@code i}, or -1. */
  private static int eventEnd(Buffer bytes, int i, int length) {
    if (bytes.getByte(i) != '\n' || i + 1 >= length) {
      return -1;
    }
    byte next = bytes.getByte(i + 1);
    if (next == '\n') {
      return i + 2;
    }
    if (next == '\r' && i + 2 < length && bytes.getByte(i + 2) == '\n') {
      return i + 3;
    }
    return -1;
  }
}
