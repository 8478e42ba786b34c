package dev.gantry.gateway;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a Server-Sent Events byte stream into whole events (each ending with a blank line), whatever
 * the network chunking, keeping every event's bytes exactly as the engine sent them.
 */
final class SseSplitter {

  private Buffer pending = Buffer.buffer();
  private int scanned;

  /** The events completed by this chunk, in order; an unfinished tail is kept for the next chunk. */
  List<Buffer> feed(Buffer chunk) {
    if (pending.length() == 0) {
      pending = chunk;
    } else {
      pending = pending.copy().appendBuffer(chunk);
    }
    List<Buffer> events = new ArrayList<>(4);
    int start = 0;
    byte[] bytes = pending.getBytes();
    int length = bytes.length;
    for (int i = Math.max(scanned, 0); i < length; i++) {
      int end = eventEnd(bytes, i, length);
      if (end > 0) {
        events.add(pending.slice(start, end));
        start = end;
        i = end - 1;
      }
    }
    if (start == length) {
      pending = Buffer.buffer();
      scanned = 0;
    } else {
      pending = start == 0 ? pending : pending.getBuffer(start, length);
      scanned = Math.max(0, pending.length() - 3);
    }
    return events;
  }

  /** Bytes received after the last complete event (an engine that stopped mid-event). */
  int pendingBytes() {
    return pending.length();
  }

  /** The end (exclusive) of an event whose blank line starts with the newline at {@code i}, or -1. */
  private static int eventEnd(byte[] bytes, int i, int length) {
    if (bytes[i] != '\n' || i + 1 >= length) {
      return -1;
    }
    byte next = bytes[i + 1];
    if (next == '\n') {
      return i + 2;
    }
    if (next == '\r' && i + 2 < length && bytes[i + 2] == '\n') {
      return i + 3;
    }
    return -1;
  }
}
