package dev.gantry.limits;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One subject's rate counts (a key, a user, a group or a model name) as one node sees them: requests and
 * tokens in the current fixed window (windows are aligned to the epoch, so every node agrees where one
 * starts), requests in flight, and what each peer last published. Pure and clocked by its caller.
 *
 * <p>Accuracy across nodes: between two ticks ({@link RateLimiter#PUBLISH_MS}) a node admits at most its
 * share of what was left cluster-wide at the tick, {@code remaining / liveNodes} with the remainder given
 * to the lowest ranks, so that nodes that cannot see each other's newest counts still cannot together
 * overshoot the limit; what peers published is added as it arrives. When peers cannot be reached
 * ({@code degraded}) a node admits at most {@code limit / liveNodes} on its own counts (fail open).
 */
final class RateCounter {

  private Limits limits = Limits.NONE;
  private long window = Long.MIN_VALUE;
  private long windowMs;
  private long requests;
  private long tokens;
  private long inFlight;
  private long remoteRequests;
  private long remoteTokens;
  private long remoteInFlight;
  private long share = Long.MAX_VALUE;
  private long sinceTick;
  private final Map<String, long[]> peers = new HashMap<>(4);

  /** Admits one request under {@code limits} or says in {@code verdict} why not; an admitted one is counted. */
  synchronized boolean admit(String name, Limits limits, long now, int liveNodes, int rank, boolean degraded,
      Verdict verdict) {
    this.limits = limits;
    roll(limits, now, liveNodes, rank);
    long reset = window + windowMs - now;
    int nodes = Math.max(1, liveNodes);
    long usedRequests = degraded ? requests : requests + remoteRequests;
    long usedTokens = degraded ? tokens : tokens + remoteTokens;
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
      long inFlightNow = degraded ? inFlight : inFlight + remoteInFlight;
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
    roll(limits, now, liveNodes, rank);
    tokens += used;
    inFlight = Math.max(0, inFlight - 1);
  }

  /** Takes back an admission another limit of the same request refused. */
  synchronized void undo() {
    requests = Math.max(0, requests - 1);
    sinceTick = Math.max(0, sinceTick - 1);
    inFlight = Math.max(0, inFlight - 1);
  }

  /** Starts a new share (called every {@link RateLimiter#PUBLISH_MS}, just before this node publishes). */
  synchronized void tick(long now, int liveNodes, int rank) {
    roll(limits, now, liveNodes, rank);
    share = shareOf(limits.requestsPerWindow(), liveNodes, rank);
    sinceTick = 0;
  }

  /** {@code [window start, requests, tokens, in flight]} for publication, or null when there is nothing to say. */
  synchronized long[] snapshot() {
    return requests == 0 && tokens == 0 && inFlight == 0 ? null : new long[] {window, requests, tokens, inFlight};
  }

  /** What peer {@code node} published ({@code [window, requests, tokens, in flight]}), or null: it has nothing. */
  synchronized void peer(String node, long[] counts) {
    if (counts == null) {
      peers.remove(node);
    } else {
      peers.put(node, counts);
    }
    sumPeers();
  }

  synchronized boolean idle() {
    return requests == 0 && tokens == 0 && inFlight == 0 && peers.isEmpty();
  }

  private void roll(Limits limits, long now, int liveNodes, int rank) {
    long windowMs = limits.windowMillis();
    long start = now - Math.floorMod(now, windowMs);
    if (start != window || windowMs != this.windowMs) {
      window = start;
      this.windowMs = windowMs;
      requests = 0;
      tokens = 0;
      sumPeers();
      share = shareOf(limits.requestsPerWindow(), liveNodes, rank);
      sinceTick = 0;
    }
  }

  private void sumPeers() {
    remoteRequests = 0;
    remoteTokens = 0;
    remoteInFlight = 0;
    for (Iterator<long[]> it = peers.values().iterator(); it.hasNext(); ) {
      long[] counts = it.next();
      remoteInFlight += counts[3];
      if (counts[0] == window) {
        remoteRequests += counts[1];
        remoteTokens += counts[2];
      }
    }
  }

  private long shareOf(long limit, int liveNodes, int rank) {
    if (limit <= 0) {
      return Long.MAX_VALUE;
    }
    long remaining = Math.max(0, limit - requests - remoteRequests);
    int nodes = Math.max(1, liveNodes);
    return remaining / nodes + (Math.floorMod(rank, nodes) < remaining % nodes ? 1 : 0);
  }
}
