package dev.gantry.route;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A provider's credentials taken in turn (round robin), each behind its own {@link CircuitBreaker}, so
 * a failing credential is skipped until its cool-down has passed. The credentials are held in clear in
 * this node's memory only.
 */
public final class CredentialRing {

  private final List<String> credentials;
  private final List<CircuitBreaker> breakers = new ArrayList<>();
  private int next;

  public CredentialRing(List<String> credentials, int threshold, long coolDownMs, LongSupplier clock) {
    this.credentials = List.copyOf(credentials);
    for (int i = 0; i < credentials.size(); i++) {
      breakers.add(new CircuitBreaker(threshold, coolDownMs, clock));
    }
  }

  /** The index of the next credential whose circuit lets a request through, or -1 when none does. */
  public synchronized int acquire() {
    for (int i = 0; i < credentials.size(); i++) {
      int candidate = (next + i) % credentials.size();
      if (breakers.get(candidate).tryAcquire()) {
        next = (candidate + 1) % credentials.size();
        return candidate;
      }
    }
    return -1;
  }

  /** Whether some credential would let a request through now (no probe is taken). */
  public boolean anyUsable() {
    return breakers.stream().anyMatch(breaker -> breaker.state() != CircuitBreaker.State.OPEN);
  }

  public String credential(int index) {
    return credentials.get(index);
  }

  public CircuitBreaker breaker(int index) {
    return breakers.get(index);
  }

  public int size() {
    return credentials.size();
  }
}
