package dev.gantry.route;

import java.util.function.LongSupplier;

/**
 * One provider credential's circuit: closed while it answers; open after {@code threshold} failures
 * (connection errors, timeouts, 5xx, 429) in a row, so requests skip it; after {@code coolDownMs} one
 * request is let through as a probe (half-open): its success closes the circuit, its failure opens it
 * for another cool-down. Thread-safe; the clock is passed in.
 */
public final class CircuitBreaker {

  /** Where a circuit stands. */
  public enum State { CLOSED, OPEN, HALF_OPEN }

  private final int threshold;
  private final long coolDownMs;
  private final LongSupplier clock;
  private State state = State.CLOSED;
  private int failures;
  private long openedAt;
  private boolean probing;

  public CircuitBreaker(int threshold, long coolDownMs, LongSupplier clock) {
    this.threshold = Math.max(1, threshold);
    this.coolDownMs = coolDownMs;
    this.clock = clock;
  }

  /** Whether a request may use the credential now; in half-open, only the one probe gets a yes. */
  public synchronized boolean tryAcquire() {
    if (state == State.CLOSED) {
      return true;
    }
    if (state == State.OPEN && clock.getAsLong() - openedAt >= coolDownMs) {
      state = State.HALF_OPEN;
      probing = false;
    }
    if (state == State.HALF_OPEN && !probing) {
      probing = true;
      return true;
    }
    return false;
  }

  public synchronized void succeeded() {
    state = State.CLOSED;
    failures = 0;
    probing = false;
  }

  public synchronized void failed() {
    failures++;
    if (state == State.HALF_OPEN || failures >= threshold) {
      state = State.OPEN;
      openedAt = clock.getAsLong();
      probing = false;
    }
  }

  public synchronized State state() {
    if (state == State.OPEN && clock.getAsLong() - openedAt >= coolDownMs) {
      return State.HALF_OPEN;
    }
    return state;
  }
}
