package dev.gantry.limits;

import java.util.HashMap;
import java.util.Map;

/**
 * One subject's rate counts (a key, a user, a group or a model name) as one node sees them: requests and
 * tokens in the current fixed window (windows are aligned to the epoch, so every node agrees where one
 * starts), requests in flight, and what each peer last published. Pure and clocked by its caller.
 *
 * <p>Accuracy across nodes: nodes tick together (every {@link RateLimiter#PUBLISH_MS} ms, aligned to the
 * clock) and publish at each tick what they admitted and what they may still admit before the next one
 * (their reservation). At a tick a node takes as its share {@code 1/liveNodes} of what is left once its own
 * count and every peer's count and reservation are taken off, so what all nodes admit together stays
 * within the limit as long as a tick's publications arrive before the next tick. A window starts with
 * {@code limit / liveNodes} each (peers still showing the last window are assumed to hold that much); a
 * node that was asked nothing since its last tick keeps a reservation of at most {@link #idleShare} (one
 * twentieth of its share, at least one), so idle nodes leave the limit to busy ones; a node alone admits on
 * its own counts. When peers cannot be reached ({@code degraded}) a node admits at most
 * {@code limit / liveNodes} on its own counts (fail open).
 */
final class RateCounter {

  /** What a node that has not yet ticked with a subject may admit: little, since nobody knows of its share yet. */
  static final long FIRST_SHARE = 1;

  private Limits limits = Limits.NONE;
  private long window = Long.MIN_VALUE;
  private long windowMs;
  private long requests;
  private long tokens;
  private long inFlight;
  private long share = FIRST_SHARE;
  private long sinceTick;
  private boolean asked;
  private final Map<String, long[]> peers = new HashMap<>(4);

  /** Admits one request under {@code limits} or says in {@code verdict} why not; an admitted one is counted. */
  synchronized boolean admit(String name, Limits limits, long now, int liveNodes, int rank, boolean degraded,
      Verdict verdict) {
    this.limits = limits;
    roll(now, liveNodes, rank);
    asked = true;
    long reset = window + windowMs - now;
    int nodes = Math.max(1, liveNodes);
    long usedRequests = degraded ? requests : requests + remote(1);
    long usedTokens = degraded ? tokens : tokens + remote(2);
    if (limits.requestsPerWindow() > 0) {
      long limit = degraded ? Math.max(1, limits.requestsPerWindow() / nodes) : limits.requestsPerWindow();
      if (usedRequests >= limit || (!degraded && sinceTick >= share)) {
        verdict.requests(limits.requestsPerWindow(), limits.requestsPerWindow() - usedRequests, reset);
        verdict.refuse(name + " may make " + limits.requestsPerWindow() + " requests per " + limits.windowSeconds()
            + " s", usedRequests >= limit ? reset : RateLimiter.PUBLISH_MS);
        return false;
      }
    }
    if (limits.tokensPerWindow() > 0) {
      long limit = degraded ? Math.max(1, limits.tokensPerWindow() / nodes) : limits.tokensPerWindow();
      verdict.tokens(limits.tokensPerWindow(), limits.tokensPerWindow() - usedTokens, reset);
      if (usedTokens >= limit) {
        verdict.refuse(name + " may use " + limits.tokensPerWindow() + " tokens per " + limits.windowSeconds() + " s",
            reset);
        return false;
      }
    }
    if (limits.concurrent() > 0) {
      long inFlightNow = degraded ? inFlight : inFlight + remote(3);
      long limit = degraded ? Math.max(1, limits.concurrent() / nodes) : limits.concurrent();
      if (inFlightNow >= limit) {
        verdict.refuse(name + " may have " + limits.concurrent() + " requests in flight at once", 1000);
        return false;
      }
    }
    requests++;
    sinceTick++;
    inFlight++;
    if (limits.requestsPerWindow() > 0) {
      verdict.requests(limits.requestsPerWindow(), limits.requestsPerWindow() - usedRequests - 1, reset);
    }
    return true;
  }

  /** The admitted request ended having used {@code used} tokens (prompt + completion). */
  synchronized void finish(long used, long now, int liveNodes, int rank) {
    roll(now, liveNodes, rank);
    tokens += used;
    inFlight = Math.max(0, inFlight - 1);
  }

  /** Takes back an admission another limit of the same request refused. */
  synchronized void undo() {
    requests = Math.max(0, requests - 1);
    sinceTick = Math.max(0, sinceTick - 1);
    inFlight = Math.max(0, inFlight - 1);
  }

  /** Starts a new share (every {@link RateLimiter#PUBLISH_MS} ms, just before this node publishes). */
  synchronized void tick(long now, int liveNodes, int rank) {
    if (window == Long.MIN_VALUE) {
      return;  // never asked: nothing to share yet
    }
    if (roll(now, liveNodes, rank)) {
      return;  // a new window: the share it starts with stands until the peers have said where they are
    }
    long limit = limits.requestsPerWindow();
    if (limit > 0) {
      long remaining = Math.max(0, limit - requests - remote(1) - reservedByPeers());
      long next = shareOf(remaining, liveNodes, rank);
      share = asked || liveNodes <= 1 ? next : Math.min(next, idleShare(limit, liveNodes));
    }
    sinceTick = 0;
    asked = false;
  }

  /** {@code [window start, requests, tokens, in flight, reserved]} for publication; null before it was first asked. */
  synchronized long[] snapshot() {
    if (window == Long.MIN_VALUE) {
      return null;
    }
    long reserved = limits.requestsPerWindow() > 0 ? Math.max(0, share - sinceTick) : 0;
    return new long[] {window, requests, tokens, inFlight, reserved};
  }

  /** What peer {@code node} published ({@code [window, requests, tokens, in flight, reserved]}), or null: nothing. */
  synchronized void peer(String node, long[] counts) {
    if (counts == null) {
      peers.remove(node);
    } else {
      peers.put(node, counts);
    }
  }

  /** Moves to the window {@code now} falls in; answers whether it did. */
  private boolean roll(long now, int liveNodes, int rank) {
    long windowMs = limits.windowMillis();
    long start = now - Math.floorMod(now, windowMs);
    if (start == window && windowMs == this.windowMs) {
      return false;
    }
    boolean first = window == Long.MIN_VALUE;
    window = start;
    this.windowMs = windowMs;
    requests = 0;
    tokens = 0;
    sinceTick = 0;
    share = first && liveNodes > 1 ? FIRST_SHARE : shareOf(limits.requestsPerWindow() - (first ? remote(1) : 0),
        liveNodes, rank);
    return !first;
  }

  /** The peers' {@code index} count (1 requests, 2 tokens: this window only; 3 in flight). */
  private long remote(int index) {
    long sum = 0;
    for (long[] counts : peers.values()) {
      if (index == 3 || counts[0] == window) {
        sum += counts[index];
      }
    }
    return sum;
  }

  /** What peers may still admit before their next tick; one still in the last window holds its opening share. */
  private long reservedByPeers() {
    long opening = (limits.requestsPerWindow() + Math.max(1, peers.size() + 1) - 1) / Math.max(1, peers.size() + 1);
    long sum = 0;
    for (long[] counts : peers.values()) {
      sum += counts[0] == window ? counts[4] : counts[0] < window ? opening : 0;
    }
    return sum;
  }

  /** What a node asked nothing since its last tick keeps: enough for a start, little enough to leave the rest (under 5 %). */
  static long idleShare(long limit, int liveNodes) {
    return Math.max(1, limit / (20L * Math.max(1, liveNodes)));
  }

  private static long shareOf(long remaining, int liveNodes, int rank) {
    if (remaining <= 0) {
      return 0;
    }
    int nodes = Math.max(1, liveNodes);
    return remaining / nodes + (Math.floorMod(rank, nodes) < remaining % nodes ? 1 : 0);
  }
}
