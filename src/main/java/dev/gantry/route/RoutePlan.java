package dev.gantry.route;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The order in which one request tries a route's targets: one target picked by weight among those that
 * can answer now (among all when none can, so the failure names them), then the fallbacks in the order
 * the route lists them, each target at most once. Pure: the random draw is passed in.
 */
public final class RoutePlan {

  private RoutePlan() {
  }

  /**
   * @param available asked at most once per target (it looks at replicas or circuits)
   * @param draw a number in [0, 1)
   */
  public static List<Target> of(Route route, Predicate<Target> available, double draw) {
    List<Target> targets = route.targets();
    Target first = pick(targets, available, draw);
    if (first == null) {
      first = pick(targets, target -> true, draw);
    }
    List<Target> fallbacks = route.fallbacks();
    if (fallbacks.isEmpty()) {
      return first == null ? List.of() : List.of(first);
    }
    List<Target> plan = new ArrayList<>(1 + fallbacks.size());
    if (first != null) {
      plan.add(first);
    }
    for (Target fallback : fallbacks) {
      if (plan.stream().noneMatch(t -> t.name().equals(fallback.name()))) {
        plan.add(fallback);
      }
    }
    return plan;
  }

  /** A target drawn in proportion to its weight among the eligible ones; null when none has a positive weight. */
  static Target pick(List<Target> targets, Predicate<Target> eligible, double draw) {
    int count = targets.size();
    if (count == 1) {  // a route's usual shape: no draw, no array
      Target only = targets.get(0);
      return only.weight() > 0 && eligible.test(only) ? only : null;
    }
    long[] weights = new long[count];
    long total = 0;
    for (int i = 0; i < count; i++) {
      Target target = targets.get(i);
      weights[i] = target.weight() > 0 && eligible.test(target) ? target.weight() : 0;
      total += weights[i];
    }
    if (total == 0) {
      return null;
    }
    double point = draw * total;
    long seen = 0;
    int last = -1;
    for (int i = 0; i < count; i++) {
      if (weights[i] > 0) {
        seen += weights[i];
        last = i;
        if (point < seen) {
          return targets.get(i);
        }
      }
    }
    return targets.get(last);  // only when rounding put the point on the total
  }
}
