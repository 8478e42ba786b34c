package dev.gantry.gateway;

import io.vertx.core.buffer.Buffer;

/**
 * What a relayed stream has said so far: the engine's usage (from the final usage-only chunk the
 * gateway asks for), the chunks that carried text (the count used when a stream is cut before its
 * usage), whether it reached {@code [DONE]} and whether the engine sent an error event.
 */
final class StreamTally {

  private final boolean clientWantsUsage;
  private final EventFacts facts = new EventFacts();
  private Usage usage;
  private int textChunks;
  private boolean done;
  private boolean engineError;

  StreamTally(boolean clientWantsUsage) {
    this.clientWantsUsage = clientWantsUsage;
  }

  /** Takes one whole event into account and answers whether the client should receive it. */
  boolean accept(Buffer raw) {
    EventFacts event = facts.read(raw);
    if (event.done()) {
      done = true;
      return true;
    }
    if (event.error()) {
      engineError = true;
      return true;
    }
    Usage reported = event.usage();
    if (reported != null) {
      usage = reported;
      if (event.choicesEmpty()) {
        return clientWantsUsage;
      }
    }
    if (event.text()) {
      textChunks++;
    }
    return true;
  }

  /** The engine's usage, or (for a stream cut short) no prompt tokens and one completion token per text chunk. */
  Usage usage() {
    return usage != null ? usage : new Usage(0, textChunks);
  }

  boolean done() {
    return done;
  }

  boolean engineError() {
    return engineError;
  }
}
