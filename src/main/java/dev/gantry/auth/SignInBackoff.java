package dev.gantry.auth;

import java.time.Duration;

/**
 * The sign-in throttle's rule for one counter (a user name or a client address), as a pure function. The
 * first {@code free} attempts go through at once; the attempt that reaches {@code free} and every later one
 * start a pause (1 s, doubling up to 15 min) during which attempts are refused. So a burst never gets more
 * than {@code free} attempts through, and a guessed-at admin is slowed down, never locked out for good.
 */
record SignInBackoff(int attempts, long pausedUntil) {

  static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
  static final Duration LONGEST_PAUSE = Duration.ofMinutes(15);

  /** What an attempt at {@code now} (epoch ms) finds: allowed with the counter's next state, or the ms to wait. */
  record Decision(boolean allowed, SignInBackoff next, long waitMs) {
  }

  static Decision attempt(SignInBackoff state, int free, long now) {
    if (state != null && now < state.pausedUntil) {
      return new Decision(false, state, state.pausedUntil - now);
    }
    int attempts = (state == null ? 0 : state.attempts) + 1;
    long until = attempts >= free ? now + pause(attempts - free).toMillis() : 0;
    return new Decision(true, new SignInBackoff(attempts, until), 0);
  }

  /** The pause after the {@code n}th attempt beyond the free ones (0-based): 1 s, 2 s, 4 s … 15 min. */
  static Duration pause(int n) {
    return n >= 20 ? LONGEST_PAUSE : min(FIRST_PAUSE.multipliedBy(1L << n), LONGEST_PAUSE);
  }

  /** The same counter with one attempt given back (a success, or an attempt another counter refused). */
  SignInBackoff refunded() {
    return new SignInBackoff(Math.max(0, attempts - 1), pausedUntil);
  }

  String encode() {
    return attempts + ":" + pausedUntil;
  }

  static SignInBackoff decode(String value) {
    if (value == null) {
      return null;
    }
    int colon = value.indexOf(':');
    return new SignInBackoff(Integer.parseInt(value.substring(0, colon)), Long.parseLong(value.substring(colon + 1)));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
