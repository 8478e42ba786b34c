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

  private void open() {
    for (int i = 0; i < 3; i++) {
      breaker.failed();
    }
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
  }
}
