package dev.gantry.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Polls a condition until it holds or a deadline passes; the last failure explains a timeout. */
public final class Eventually {

  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

  @FunctionalInterface
  public interface Check {
    void run() throws Exception;
  }

  /** Runs {@code check} until it stops throwing; answers how long that took. */
  public static Duration await(Duration timeout, Check check) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    Throwable last;
    do {
      try {
        check.run();
        return Duration.ofNanos(System.nanoTime() - start);
      } catch (AssertionError | Exception e) {
        last = e;
      }
      LockSupport.parkNanos(POLL_NANOS);
    } while (System.nanoTime() < deadline);
    AssertionError timedOut = new AssertionError("condition still not met after " + timeout.toMillis() + " ms: "
        + last.getMessage(), last);
    throw timedOut;
  }

  private Eventually() {
  }
}
