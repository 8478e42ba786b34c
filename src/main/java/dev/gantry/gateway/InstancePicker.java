package dev.gantry.gateway;

import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.random.RandomGenerator;

/**
 * Least outstanding requests: the running instance with the fewest requests in flight cluster-wide (plus,
 * where engines report it, the requests waiting in the engine's own queue); between equals the one whose
 * engine's KV cache is emptier, then at random.
 */
final class InstancePicker {

  /** The pick among {@code candidates} not in {@code tried} by load alone, or null when none is left. */
  static Upstream pick(List<Upstream> candidates, Set<String> tried, ToIntFunction<String> outstanding,
      RandomGenerator random) {
    return pick(candidates, tried, outstanding, id -> 0, random);
  }

  /** The pick among {@code candidates} not in {@code tried}, or null when none is left. */
  static Upstream pick(List<Upstream> candidates, Set<String> tried, ToIntFunction<String> outstanding,
      ToDoubleFunction<String> kvUsage, RandomGenerator random) {
    Upstream best = null;
    int bestLoad = Integer.MAX_VALUE;
    double bestKv = Double.MAX_VALUE;
    int ties = 0;
    for (Upstream candidate : candidates) {
      if (tried.contains(candidate.id())) {
        continue;
      }
      int load = outstanding.applyAsInt(candidate.id());
      if (load > bestLoad) {
        continue;
      }
      double kv = kvUsage.applyAsDouble(candidate.id());
      if (load < bestLoad || kv < bestKv) {
        best = candidate;
        bestLoad = load;
        bestKv = kv;
        ties = 1;
      } else if (kv == bestKv && random.nextInt(++ties) == 0) {
        best = candidate;
      }
    }
    return best;
  }

  private InstancePicker() {
  }
}
