package dev.gantry.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final CircuitBreaker breaker = new CircuitBreaker(3, 30_000, now::get);

  @Test
  void opensAfterThresholdFailuresInARow() {
    breaker.failed();
    breaker.failed();
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.failed();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
  }

  @Test
  void aSuccessResetsTheCount() {
    breaker.failed();
    breaker.failed();
    breaker.succeeded();
    breaker.failed();
    breaker.failed();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void afterTheCoolDownOneProbeGoesThroughAndItsSuccessCloses() {
    open();
    now.addAndGet(29_999);
    assertThat(breaker.tryAcquire()).isFalse();
    now.addAndGet(1);
    assertThat(breaker.tryAcquire()).as("the probe").isTrue();
    assertThat(breaker.tryAcquire()).as("a second request while the probe runs").isFalse();
    breaker.succeeded();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();
  }

  @Test
  void aFailedProbeOpensForAnotherCoolDown() {
    open();
    now.addAndGet(30_000);
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.failed();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    now.addAndGet(29_000);
    assertThat(breaker.tryAcquire()).isFalse();
    now.addAndGet(1_000);
    assertThat(breaker.tryAcquire()).isTrue();
  }

  @Test
  void theRingTakesCredentialsInTurnAndSkipsOpenOnes() {
    CredentialRing ring = new CredentialRing(List.of("k1", "k2", "k3"), 1, 10_000, now::get);
    assertThat(List.of(ring.acquire(), ring.acquire(), ring.acquire(), ring.acquire())).containsExactly(0, 1, 2, 0);
    ring.breaker(1).failed();
    assertThat(List.of(ring.acquire(), ring.acquire(), ring.acquire())).containsExactly(2, 0, 2);
    ring.breaker(0).failed();
    ring.breaker(2).failed();
    assertThat(ring.acquire()).as("every circuit open").isEqualTo(-1);
    assertThat(ring.anyUsable()).isFalse();
    now.addAndGet(10_000);
    assertThat(ring.anyUsable()).isTrue();
    assertThat(ring.acquire()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void anOpeningAdoptedFromAnotherNodeLastsUntilItsInstantAndThenLetsOneProbeThrough() {
    breaker.adoptOpen(now.get() + 5_000);
    assertThat(breaker.tryAcquire()).isFalse();
    breaker.adoptOpen(now.get() + 1_000);
    now.addAndGet(4_999);
    assertThat(breaker.tryAcquire()).as("a shorter opening does not shorten a longer one").isFalse();
    now.addAndGet(1);
    assertThat(breaker.tryAcquire()).as("the probe").isTrue();
    assertThat(breaker.tryAcquire()).isFalse();
  }

  @Test
  void aClosingAdoptedFromAnotherNodeClosesUnlessThisNodeOpenedLater() {
    open();
    breaker.adoptClosed(now.get() - 1);
    assertThat(breaker.state()).as("news older than this node's opening").isEqualTo(CircuitBreaker.State.OPEN);
    breaker.adoptClosed(now.get());
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();
  }

  @Test
  void onlyTransitionsAreReported() {
    breaker.failed();
    breaker.failed();
    assertThat(breaker.failed()).as("the failure that opens").isTrue();
    assertThat(breaker.failed()).as("a late failure while open").isFalse();
    assertThat(breaker.succeeded()).as("a success that closes").isTrue();
    assertThat(breaker.succeeded()).as("a success while closed").isFalse();
  }

  @Test
  void theRingTellsItsTransitionsByIndexAndFingerprintAndAdoptsOnlyMatchingNews() {
    List<String> told = new java.util.ArrayList<>();
    CredentialRing ring = new CredentialRing(List.of("k1", "k2"), 1, 10_000, now::get, new CredentialRing.Transitions() {
      @Override
      public void opened(int index, String fingerprint, long until) {
        told.add("open " + index + " " + fingerprint + " " + until);
      }

      @Override
      public void closed(int index, String fingerprint, long at) {
        told.add("closed " + index + " " + fingerprint + " " + at);
      }
    });
    String k2 = ProviderSpecs.fingerprint("k2");
    ring.failed(1);
    ring.failed(1);
    ring.succeeded(1);
    ring.succeeded(0);
    assertThat(told).containsExactly("open 1 " + k2 + " 11000", "closed 1 " + k2 + " 1000");
    assertThat(String.join(" ", told)).doesNotContain("k1", "k2 ");

    ring.adoptOpen(0, k2, now.get() + 10_000);
    assertThat(ring.breaker(0).state()).as("another credential's fingerprint").isEqualTo(CircuitBreaker.State.CLOSED);
    ring.adoptOpen(5, k2, now.get() + 10_000);
    ring.adoptOpen(1, k2, now.get() + 10_000);
    assertThat(List.of(ring.acquire(), ring.acquire())).containsExactly(0, 0);
    ring.adoptClosed(1, k2, now.get());
    assertThat(ring.breaker(1).state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  private void open() {
    for (int i = 0; i < 3; i++) {
      breaker.failed();
    }
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
  }
}
