package dev.gantry.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The window and share maths of one subject's counter, clocked by the test. */
class RateCounterTest {

  private static final Limits TEN_PER_10S = new Limits(10, 0, 0, 10, 0, 0);

  @Test
  void aSubjectNewToANodeOfAClusterAdmitsOneUntilItsFirstTickAndANodeAloneAllAtOnce() {
    RateCounter counter = new RateCounter();
    long t = 1_000_000_000L;
    assertThat(admitAll(counter, TEN_PER_10S, t, 3, 0)).isEqualTo(1);
    Verdict wait = new Verdict();
    assertThat(counter.admit("key", TEN_PER_10S, t + 1, 3, 0, false, wait)).isFalse();
    assertThat(wait.retryAfterMs()).isEqualTo(RateLimiter.PUBLISH_MS);
    counter.tick(t + 100, 3, 0);
    assertThat(admitAll(counter, TEN_PER_10S, t + 101, 3, 0)).as("a third of the 9 left").isEqualTo(3);

    assertThat(admitAll(new RateCounter(), TEN_PER_10S, t, 1, 0)).isEqualTo(10);
  }

  @Test
  void aNodeAskedNothingSinceItsLastTickKeepsATwentiethOfItsShare() {
    Limits thousand = new Limits(1000, 0, 0, 10, 0, 0);
    RateCounter counter = new RateCounter();
    long t = 1_000_000_000L;
    counter.admit("key", thousand, t, 2, 0, false, new Verdict());
    counter.tick(t + 100, 2, 0);  // asked since the last tick: half of the 999 left, and the odd one
    assertThat(counter.snapshot()[4]).isEqualTo(500);
    counter.tick(t + 200, 2, 0);  // asked nothing since
    assertThat(counter.snapshot()[4]).isEqualTo(25);
  }

  @Test
  void admitsUpToTheLimitInOneWindowAndAgainInTheNext() {
    RateCounter counter = new RateCounter();
    long t = 1_000_000_000L;  // a window start (multiple of 10 s)
    counter.admit("key", TEN_PER_10S, t - 200, 1, 0, false, new Verdict());  // known from the last window
    int admitted = 0;
    for (int i = 0; i < 15; i++) {
      if (counter.admit("key", TEN_PER_10S, t + i, 1, 0, false, new Verdict())) {
        admitted++;
      }
    }
    assertThat(admitted).isEqualTo(10);
    Verdict refused = new Verdict();
    assertThat(counter.admit("key", TEN_PER_10S, t + 9_000, 1, 0, false, refused)).isFalse();
    assertThat(refused.refusal()).contains("10 requests per 10 s");
    assertThat(refused.retryAfterMs()).isEqualTo(1_000);
    assertThat(refused.remainingRequests()).isZero();

    Verdict next = new Verdict();
    assertThat(counter.admit("key", TEN_PER_10S, t + 10_000, 1, 0, false, next)).isTrue();
    assertThat(next.limitRequests()).isEqualTo(10);
    assertThat(next.remainingRequests()).isEqualTo(9);
    assertThat(next.resetRequestsMs()).isEqualTo(10_000);
  }

  @Test
  void peersCountsOfTheSameWindowCountAndOlderWindowsDoNot() {
    RateCounter counter = new RateCounter();
    long t = 1_000_000_000L;
    counter.admit("key", TEN_PER_10S, t, 1, 0, false, new Verdict());
    counter.peer("b", new long[] {t, 5, 0, 0, 0});
    counter.peer("c", new long[] {t - 10_000, 5, 0, 0, 0});  // still in the last window: holds its opening share, 5
    counter.tick(t + 100, 1, 0);
    assertThat(admitAll(counter, TEN_PER_10S, t + 101, 1, 0)).isZero();
    counter.peer("c", new long[] {t, 0, 0, 0, 1});  // c is in this window now, idle, reserving one
    counter.tick(t + 200, 1, 0);
    assertThat(admitAll(counter, TEN_PER_10S, t + 201, 1, 0)).isEqualTo(3);
    counter.peer("b", null);  // b's entry expired: it counts no more
    counter.tick(t + 300, 1, 0);
    assertThat(admitAll(counter, TEN_PER_10S, t + 301, 1, 0)).isEqualTo(5);
  }

  @Test
  void threeNodesThatSeeEachOtherOnlyAtTicksTogetherAdmitExactlyTheLimit() {
    Limits limits = new Limits(100, 0, 0, 10, 0, 0);
    List<RateCounter> nodes = List.of(new RateCounter(), new RateCounter(), new RateCounter());
    long t = 2_000_000_000L;
    int admitted = 0;
    for (int tick = 0; tick < 100; tick++) {
      long now = t + tick * 100L;
      publishAll(nodes);
      for (int n = 0; n < 3; n++) {
        nodes.get(n).tick(now, 3, n);
      }
      for (int n = 0; n < 3; n++) {
        admitted += admitAll(nodes.get(n), limits, now + 1, 3, n);  // every node flooded between ticks
      }
    }
    assertThat(admitted).isEqualTo(100);
  }

  @Test
  void unevenLoadStillReachesTheLimitOverTheWindow() {
    Limits limits = new Limits(90, 0, 0, 10, 0, 0);
    List<RateCounter> nodes = List.of(new RateCounter(), new RateCounter(), new RateCounter());
    long t = 2_000_000_000L;
    int admitted = 0;
    for (int tick = 0; tick < 99; tick++) {
      long now = t + tick * 100L;
      publishAll(nodes);
      for (int n = 0; n < 3; n++) {
        nodes.get(n).tick(now, 3, n);
      }
      admitted += admitAll(nodes.get(0), limits, now + 1, 3, 0);  // only node 0 has callers
    }
    assertThat(admitted).isBetween(88, 90);
  }

  @Test
  void degradedNodesAdmitTheirShareOnTheirOwnCounts() {
    // degraded: no shares, no peers; each node keeps to limit / live nodes
    RateCounter counter = new RateCounter();
    long t = 1_000_000_000L;
    int admitted = 0;
    for (int i = 0; i < 20; i++) {
      if (counter.admit("key", new Limits(30, 0, 0, 10, 0, 0), t + i, 3, 0, true, new Verdict())) {
        admitted++;
      }
    }
    assertThat(admitted).isEqualTo(10);
  }

  @Test
  void tokensCountWhenTheRequestFinishesAndRefuseOnceSpent() {
    Limits limits = new Limits(0, 100, 0, 60, 0, 0);
    RateCounter counter = new RateCounter();
    long t = 6_000_000_000L;
    assertThat(counter.admit("user", limits, t, 1, 0, false, new Verdict())).isTrue();
    counter.finish(60, t + 5, 1, 0);
    Verdict second = new Verdict();
    assertThat(counter.admit("user", limits, t + 10, 1, 0, false, second)).isTrue();
    assertThat(second.remainingTokens()).isEqualTo(40);
    counter.finish(50, t + 20, 1, 0);
    Verdict third = new Verdict();
    assertThat(counter.admit("user", limits, t + 30, 1, 0, false, third)).isFalse();
    assertThat(third.refusal()).contains("100 tokens per 60 s");
  }

  @Test
  void concurrencyCountsRequestsInFlightHereAndOnPeers() {
    Limits limits = new Limits(0, 0, 3, 60, 0, 0);
    RateCounter counter = new RateCounter();
    long t = 6_000_000_000L;
    counter.peer("b", new long[] {t, 0, 0, 1, 0});
    assertThat(counter.admit("key", limits, t, 2, 0, false, new Verdict())).isTrue();
    assertThat(counter.admit("key", limits, t, 2, 0, false, new Verdict())).isTrue();
    assertThat(counter.admit("key", limits, t, 2, 0, false, new Verdict())).isFalse();
    counter.finish(0, t + 1, 2, 0);
    assertThat(counter.admit("key", limits, t + 2, 2, 0, false, new Verdict())).isTrue();
  }

  @Test
  void undoTakesBackAnAdmission() {
    RateCounter counter = new RateCounter();
    long t = 1_000_000_000L;
    Limits one = new Limits(1, 0, 0, 10, 0, 0);
    counter.admit("key", one, t - 20_000, 1, 0, false, new Verdict());
    assertThat(counter.admit("key", one, t, 1, 0, false, new Verdict())).isTrue();
    counter.undo();
    assertThat(counter.admit("key", one, t + 1, 1, 0, false, new Verdict())).isTrue();
    assertThat(counter.admit("key", one, t + 2, 1, 0, false, new Verdict())).isFalse();
  }

  private static int admitAll(RateCounter counter, Limits limits, long now, int live, int rank) {
    int admitted = 0;
    while (admitted < 1000 && counter.admit("key", limits, now, live, rank, false, new Verdict())) {
      admitted++;
    }
    return admitted;
  }

  /** Every node learns every other node's snapshot, as the cluster map would tell them. */
  private static void publishAll(List<RateCounter> nodes) {
    List<long[]> snapshots = new ArrayList<>();
    nodes.forEach(node -> snapshots.add(node.snapshot()));
    for (int n = 0; n < nodes.size(); n++) {
      for (int p = 0; p < nodes.size(); p++) {
        if (p != n) {
          nodes.get(n).peer("node" + p, snapshots.get(p));
        }
      }
    }
  }
}
