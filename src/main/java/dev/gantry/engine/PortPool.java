package dev.gantry.engine;

import dev.gantry.common.PortClaim;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Hands out engine ports from a configured range: bindable now and claimed on this host
 * ({@link PortClaim}) until released, so that nodes on one machine sharing the default range never
 * give two engines the same port, even in the moment between choosing a port and the engine listening.
 */
public final class PortPool {

  private final int first;
  private final int last;
  private final String host;
  private final Map<Integer, PortClaim> taken = new HashMap<>();
  private int next;

  public PortPool(String range, String host) {
    String[] bounds = range.split("-");
    this.first = Integer.parseInt(bounds[0]);
    this.last = Integer.parseInt(bounds[1]);
    this.host = host;
    this.next = first;
    if (first > last || first < 1 || last > 65535) {
      throw new IllegalArgumentException("invalid engine port range " + range);
    }
  }

  public synchronized int acquire() {
    int span = last - first + 1;
    for (int i = 0; i < span; i++) {
      int candidate = first + (next - first + i) % span;
      Optional<PortClaim> claim = taken.containsKey(candidate) ? Optional.empty() : PortClaim.tryClaim(host, candidate);
      if (claim.isPresent()) {
        taken.put(candidate, claim.get());
        next = candidate + 1 > last ? first : candidate + 1;
        return candidate;
      }
    }
    throw new IllegalStateException("no free engine port left in " + first + "-" + last
        + " (used by engines of the nodes on this host or by other programs); widen --engine-ports");
  }

  public synchronized void release(int port) {
    PortClaim claim = taken.remove(port);
    if (claim != null) {
      claim.close();
    }
  }
}
