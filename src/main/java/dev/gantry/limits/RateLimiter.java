package dev.gantry.limits;

import dev.gantry.cluster.Membership;
import dev.gantry.cluster.SharedMap;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Cluster-wide rate limits decided locally: each node counts in {@link RateCounter}s, publishes its
 * counts and reservations every {@link #PUBLISH_MS} ms (ticks aligned to the clock) into one cluster map entry of its own (expiring, so a node that
 * died stops counting), and adds what its peers published as their entries change. Admission is a hash
 * lookup and a few additions under the subject's own lock; nothing on the request path waits for the
 * cluster. When this node's own publication has not succeeded for {@link #DEGRADED_AFTER_MS} ms it fails
 * open with a per-node share ({@code limit / live nodes}) and says so in
 * {@code gantry_rate_limit_degraded} and {@code gantry_rate_limit_degraded_decisions_total}.
 */
public final class RateLimiter {

  public static final long PUBLISH_MS = 100;
  static final long DEGRADED_AFTER_MS = 1_000;
  private static final Duration ENTRY_TTL = Duration.ofSeconds(2);

  private final SharedMap counts;
  private final Membership membership;
  private final String nodeName;
  private final LongSupplier clock;
  private final Map<String, RateCounter> counters = new ConcurrentHashMap<>();
  private final Map<String, JsonObject> peerPayloads = new ConcurrentHashMap<>();
  private final Counter degradedDecisions;
  private volatile int liveNodes = 1;
  private volatile int rank;
  private volatile long lastPublished;

  public RateLimiter(SharedMap counts, Membership membership, String nodeName, MeterRegistry registry, LongSupplier clock) {
    this.counts = counts;
    this.membership = membership;
    this.nodeName = nodeName;
    this.clock = clock;
    this.lastPublished = clock.getAsLong();
    Gauge.builder("gantry_rate_limit_degraded", this, limiter -> limiter.degraded() ? 1 : 0)
        .description("1 while this node cannot publish its rate counts and admits on a per-node share").register(registry);
    this.degradedDecisions = Counter.builder("gantry_rate_limit_degraded_decisions_total")
        .description("Rate-limit decisions taken on a per-node share because peers could not be reached").register(registry);
  }

  /** Follows the peers' counts. Blocking: call it from a worker. */
  public void startBlocking() {
    counts.listenBlocking(this::peerChanged);
    counts.entriesBlocking().forEach((node, value) -> {
      if (!node.equals(nodeName)) {
        peerPayloads.put(node, new JsonObject(value));
      }
    });
  }

  public boolean degraded() {
    return clock.getAsLong() - lastPublished > DEGRADED_AFTER_MS;
  }

  /** Admits one request against {@code subject}'s limits (its {@code name} goes in the refusal); counts it if admitted. */
  public boolean admit(String subject, String name, Limits limits, Verdict verdict) {
    boolean degraded = degraded();
    if (degraded) {
      degradedDecisions.increment();
    }
    return counter(subject).admit(name, limits, clock.getAsLong(), liveNodes, rank, degraded, verdict);
  }

  /** An admitted request of {@code subject} ended, having used {@code tokens}. */
  public void finish(String subject, long tokens) {
    RateCounter counter = counters.get(subject);
    if (counter != null) {
      counter.finish(tokens, clock.getAsLong(), liveNodes, rank);
    }
  }

  /** Takes back {@link #admit} of a request that another limit refused. */
  public void undo(String subject) {
    RateCounter counter = counters.get(subject);
    if (counter != null) {
      counter.undo();
    }
  }

  /** How long until the next tick: ticks are aligned to the clock, so that all nodes tick together. */
  public long untilNextTick() {
    return PUBLISH_MS - Math.floorMod(clock.getAsLong(), PUBLISH_MS);
  }

  /** Starts the next share of every counter and publishes this node's counts (every {@link #PUBLISH_MS} ms). */
  public void publish() {
    List<String> members = new ArrayList<>(membership.memberIds());
    members.sort(null);
    liveNodes = Math.max(1, members.size());
    rank = Math.max(0, members.indexOf(membership.localMemberId()));
    long now = clock.getAsLong();
    JsonObject mine = new JsonObject();
    counters.forEach((subject, counter) -> {
      counter.tick(now, liveNodes, rank);
      long[] snapshot = counter.snapshot();
      if (snapshot != null) {
        mine.put(subject, new JsonArray().add(snapshot[0]).add(snapshot[1]).add(snapshot[2]).add(snapshot[3])
            .add(snapshot[4]));
      }
    });
    counts.set(nodeName, mine.encode(), ENTRY_TTL).onSuccess(v -> lastPublished = clock.getAsLong());
  }

  private RateCounter counter(String subject) {
    RateCounter counter = counters.get(subject);
    if (counter != null) {
      return counter;
    }
    return counters.computeIfAbsent(subject, s -> {
      RateCounter fresh = new RateCounter();
      peerPayloads.forEach((node, payload) -> fresh.peer(node, decode(payload.getJsonArray(s))));
      return fresh;
    });
  }

  private void peerChanged(SharedMap.Change change) {
    String node = change.key();
    if (node.equals(nodeName)) {
      return;
    }
    JsonObject payload = change.type() == SharedMap.ChangeType.DELETED ? null : new JsonObject(change.value());
    if (payload == null) {
      peerPayloads.remove(node);
    } else {
      peerPayloads.put(node, payload);
    }
    counters.forEach((subject, counter) -> counter.peer(node, payload == null ? null : decode(payload.getJsonArray(subject))));
  }

  private static long[] decode(JsonArray counts) {
    return counts == null || counts.size() < 5 ? null
        : new long[] {counts.getLong(0), counts.getLong(1), counts.getLong(2), counts.getLong(3), counts.getLong(4)};
  }
}
