package dev.gantry.route;

import java.util.function.LongSupplier;

/**
 * One provider credential's circuit: closed while it answers; open after {@code threshold} failures
 * (connection errors, timeouts, 5xx, 429) in a row, so requests skip it; after {@code coolDownMs} one
 * request is let through as a probe (half-open): its success closes the circuit, its failure opens it
 * for another cool-down. Thread-safe; the clock is passed in.
 *
 * <p>Other nodes' news is adopted through {@link #adoptOpen} and {@link #adoptClosed}, so a credential one
 * node found failing is skipped by every node (see {@link SharedCircuits}); the transitions this node
 * makes itself are what {@link #failed} and {@link #succeeded} return.
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

  /** Records a success; true when it closed a circuit that was open or half-open. */
  public synchronized boolean succeeded() {
    boolean closed = state != State.CLOSED;
    state = State.CLOSED;
    failures = 0;
    probing = false;
    return closed;
  }

  /**
   * Records a failure; true when it opened the circuit (or opened it again after a failed probe). A late
   * failure of a request sent before the circuit opened restarts the cool-down but returns false.
   */
  public synchronized boolean failed() {
    failures++;
    if (state == State.HALF_OPEN || failures >= threshold) {
      boolean opened = state != State.OPEN;
      state = State.OPEN;
      openedAt = clock.getAsLong();
      probing = false;
      return opened;
    }
    return false;
  }

  /** When the current opening ends, in the clock's milliseconds (meaningful while not closed). */
  public synchronized long openUntil() {
    return openedAt + coolDownMs;
  }

  /**
   * Another node opened this credential's circuit until {@code until}: this one opens too, unless it is
   * already open at least that long. A probe this node has in flight still reports its result.
   */
  public synchronized void adoptOpen(long until) {
    if (state != State.CLOSED && openedAt + coolDownMs >= until) {
      return;
    }
    state = State.OPEN;
    openedAt = until - coolDownMs;
    probing = false;
  }

  /** Another node's probe succeeded at {@code at}: this one closes too, unless it opened after that. */
  public synchronized void adoptClosed(long at) {
    if (state != State.CLOSED && openedAt <= at) {
      state = State.CLOSED;
      failures = 0;
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
