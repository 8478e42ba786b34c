package dev.gantry.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The callers of API keys this node has already verified, by the presented key: the gateway's hot path
 * then does one hash lookup instead of two cluster-map reads, two JSON parses and a SHA-256. Only keys
 * that verified are kept (so a stranger's guesses cannot fill it), at most {@link #MAX_ENTRIES}. Any
 * change to a user, a key or a group clears it on every node, as it clears {@link Entitlements}: a put
 * made from records read before a change is dropped by the generation check, and for
 * {@link #QUIET_NANOS} after a change nothing is kept (the change event and the near cache's invalidation
 * travel separately, so a read just after the event may still see the old record), so a revoked key or a
 * deactivated user is never served from here once its change reached this node. An expiring key is
 * served only until its {@code expires_at}.
 */
final class KeyPrincipals {

  static final int MAX_ENTRIES = 100_000;
  /** How long after a change verified callers are not kept (the near cache may lag the change event). */
  static final long QUIET_NANOS = 1_000_000_000L;

  private record Verified(Principal principal, long expiresAtMs) {
  }

  private final Map<String, Verified> byKey = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final long quietNanos;
  private volatile long changedAtNanos;

  KeyPrincipals() {
    this(QUIET_NANOS);
  }

  KeyPrincipals(long quietNanos) {
    this.quietNanos = quietNanos;
    this.changedAtNanos = System.nanoTime();
  }

  /** The generation to pass to {@link #put} for records read after this call. */
  long generation() {
    return generation.get();
  }

  /** The caller of this presented key, or null when unknown here or past its expiry. */
  Principal get(String presentedKey, long nowMs) {
    Verified verified = byKey.get(presentedKey);
    if (verified == null) {
      return null;
    }
    if (nowMs >= verified.expiresAtMs) {
      byKey.remove(presentedKey, verified);
      return null;
    }
    return verified.principal;
  }

  /** Keeps a verified caller, unless users, keys or groups changed since {@code generation} was read. */
  void put(String presentedKey, Principal principal, long expiresAtMs, long generation) {
    if (System.nanoTime() - changedAtNanos < quietNanos) {
      return;
    }
    if (byKey.size() >= MAX_ENTRIES) {
      byKey.clear();
    }
    byKey.put(presentedKey, new Verified(principal, expiresAtMs));
    if (this.generation.get() != generation) {
      byKey.remove(presentedKey);
    }
  }

  /** A user, key or group changed somewhere in the cluster. */
  void clear() {
    changedAtNanos = System.nanoTime();
    generation.incrementAndGet();
    byKey.clear();
  }

  int size() {
    return byKey.size();
  }
}
