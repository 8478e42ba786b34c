package dev.gantry.hub;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** How often and how patiently a download retries a hub error: {@code attempts} tries, waits doubling from {@code first} up to {@code max}. */
public record RetryPolicy(int attempts, Duration first, Duration max) {

  public static RetryPolicy defaults() {
    return new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(30));
  }

  /** Waits before try number {@code failures + 1}, waking early (with an exception) when cancelled. */
  void pause(int failures, BooleanSupplier cancelled) throws InterruptedIOException {
    long wait = Math.min(max.toMillis(), first.toMillis() << Math.min(failures - 1, 20));
    long until = System.nanoTime() + wait * 1_000_000;
    try {
      while (System.nanoTime() < until) {
        if (cancelled.getAsBoolean()) {
          throw new InterruptedIOException("download stopped: the node is shutting down");
        }
        Thread.sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry");
    }
  }
}
