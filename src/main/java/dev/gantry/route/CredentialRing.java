package dev.gantry.route;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A provider's credentials taken in turn (round robin), each behind its own {@link CircuitBreaker}, so
 * a failing credential is skipped until its cool-down has passed. The credentials are held in clear in
 * this node's memory only; what this ring tells other nodes ({@link Transitions}) names a credential by
 * its index and fingerprint (8 hex digits of its SHA-256, as the API shows it), never by its value.
 */
public final class CredentialRing {

  /** Where this node's own circuit transitions go (to {@link SharedCircuits}). */
  public interface Transitions {
    Transitions NONE = new Transitions() {
      @Override
      public void opened(int index, String fingerprint, long until) {
      }

      @Override
      public void closed(int index, String fingerprint, long at) {
      }
    };

    void opened(int index, String fingerprint, long until);

    void closed(int index, String fingerprint, long at);
  }

  private final List<String> credentials;
  private final List<String> fingerprints = new ArrayList<>();
  private final List<CircuitBreaker> breakers = new ArrayList<>();
  private final LongSupplier clock;
  private final Transitions transitions;
  private int next;

  public CredentialRing(List<String> credentials, int threshold, long coolDownMs, LongSupplier clock) {
    this(credentials, threshold, coolDownMs, clock, Transitions.NONE);
  }

  public CredentialRing(List<String> credentials, int threshold, long coolDownMs, LongSupplier clock,
      Transitions transitions) {
    this.credentials = List.copyOf(credentials);
    this.clock = clock;
    this.transitions = transitions;
    for (String credential : credentials) {
      fingerprints.add(ProviderSpecs.fingerprint(credential));
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

  /** A request with credential {@code index} succeeded; a circuit this closes is told to the other nodes. */
  public void succeeded(int index) {
    if (breakers.get(index).succeeded()) {
      transitions.closed(index, fingerprints.get(index), clock.getAsLong());
    }
  }

  /** A request with credential {@code index} failed; a circuit this opens is told to the other nodes. */
  public void failed(int index) {
    CircuitBreaker breaker = breakers.get(index);
    if (breaker.failed()) {
      transitions.opened(index, fingerprints.get(index), breaker.openUntil());
    }
  }

  /** Another node opened credential {@code index}'s circuit; ignored unless the fingerprint matches ours. */
  public void adoptOpen(int index, String fingerprint, long until) {
    if (same(index, fingerprint)) {
      breakers.get(index).adoptOpen(until);
    }
  }

  /** Another node closed credential {@code index}'s circuit; ignored unless the fingerprint matches ours. */
  public void adoptClosed(int index, String fingerprint, long at) {
    if (same(index, fingerprint)) {
      breakers.get(index).adoptClosed(at);
    }
  }

  private boolean same(int index, String fingerprint) {
    return index >= 0 && index < fingerprints.size() && fingerprints.get(index).equals(fingerprint);
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
