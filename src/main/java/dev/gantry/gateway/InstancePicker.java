package dev.gantry.gateway;

import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.random.RandomGenerator;

/** Least outstanding requests: the running instance with the fewest requests in flight cluster-wide; ties at random. */
final class InstancePicker {

  /** The pick among {@code candidates} not in {@code tried}, or null when none is left. */
  static Upstream pick(List<Upstream> candidates, Set<String> tried, ToIntFunction<String> outstanding,
      RandomGenerator random) {
    Upstream best = null;
    int bestLoad = Integer.MAX_VALUE;
    int ties = 0;
    for (Upstream candidate : candidates) {
      if (tried.contains(candidate.id())) {
        continue;
      }
      int load = outstanding.applyAsInt(candidate.id());
      if (load < bestLoad) {
        best = candidate;
        bestLoad = load;
        ties = 1;
      } else if (load == bestLoad && random.nextInt(++ties) == 0) {
        best = candidate;
      }
    }
    return best;
  }

  private InstancePicker() {
  }
}
