package dev.gantry.auth;

import dev.gantry.cluster.SharedMap;
import java.time.Duration;
import java.util.function.Function;

/**
 * Throttles password sign-ins per user name and per client address, cluster-wide ({@link SignInBackoff}).
 * An attempt is counted <em>before</em> its password is checked, with compare-and-set on the cluster map,
 * so parallel attempts on any nodes never get more than the limit through; a success gives its count back.
 * A counter is forgotten 15 minutes after its last pause ends. Blocking (Hazelcast calls): use from a worker.
 */
public final class LoginThrottle {

  public static final int MAX_PER_USER = 5;
  public static final int MAX_PER_ADDRESS = 20;
  static final Duration QUIET = Duration.ofMinutes(15);

  private final SharedMap counters;

  /** @param counters the cluster's {@code gantry.login-failures} */
  public LoginThrottle(SharedMap counters) {
    this.counters = counters;
  }

  /** Counts an attempt; answers 0 when it may go ahead, else the milliseconds to wait. */
  public long attempt(String username, String address) {
    long now = System.currentTimeMillis();
    long wait = count(userKey(username), MAX_PER_USER, now);
    if (wait > 0) {
      return wait;
    }
    wait = count(addressKey(address), MAX_PER_ADDRESS, now);
    if (wait > 0) {
      change(userKey(username), now, LoginThrottle::refund);
    }
    return wait;
  }

  /** The password was right: the user's counter is cleared and the address gets its attempt back. */
  public void succeeded(String username, String address) {
    counters.removeBlocking(userKey(username));
    change(addressKey(address), System.currentTimeMillis(), LoginThrottle::refund);
  }

  /**
   * An admin's unlock: forgets the user's counter, so their next sign-in goes ahead at once (the counters of
   * the addresses the attempts came from stay: they throttle the guesser, not the user).
   */
  public void clear(String username) {
    counters.removeBlocking(userKey(username));
  }

  private long count(String key, int free, long now) {
    long[] wait = {0};
    change(key, now, state -> {
      SignInBackoff.Decision decision = SignInBackoff.attempt(state, free, now);
      wait[0] = decision.waitMs();
      return decision.next();
    });
    return wait[0];
  }

  /** Compare-and-set until this update wins against every other node's. */
  private void change(String key, long now, Function<SignInBackoff, SignInBackoff> update) {
    while (true) {
      String old = counters.getBlocking(key);
      SignInBackoff next = update.apply(SignInBackoff.decode(old));
      if (next == null) {
        return;
      }
      long ttl = Math.max(0, next.pausedUntil() - now) / 1000 + QUIET.toSeconds();
      if (old == null) {
        if (counters.putIfAbsentBlocking(key, next.encode(), Duration.ofSeconds(ttl))) {
          return;
        }
      } else if (old.equals(next.encode()) || counters.replaceBlocking(key, old, next.encode())) {
        counters.setTtlBlocking(key, Duration.ofSeconds(ttl));
        return;
      }
    }
  }

  private static SignInBackoff refund(SignInBackoff state) {
    return state == null ? null : state.refunded();
  }

  private static String userKey(String username) {
    return "user:" + username;
  }

  private static String addressKey(String address) {
    return "addr:" + address;
  }
}
