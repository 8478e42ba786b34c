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

  /** @param draw a number in [0, 1) */
  public static List<Target> of(Route route, Predicate<Target> available, double draw) {
    List<Target> plan = new ArrayList<>(1 + route.fallbacks().size());
    Target first = pick(route.targets().stream().filter(available).toList(), draw);
    if (first == null) {
      first = pick(route.targets(), draw);
    }
    if (first != null) {
      plan.add(first);
    }
    for (Target fallback : route.fallbacks()) {
      if (plan.stream().noneMatch(t -> t.name().equals(fallback.name()))) {
        plan.add(fallback);
      }
    }
    return plan;
  }

  /** A target drawn in proportion to its weight; null when none has a positive weight. */
  static Target pick(List<Target> targets, double draw) {
    long total = 0;
    for (Target target : targets) {
      total += Math.max(0, target.weight());
    }
    if (total == 0) {
      return null;
    }
    double point = draw * total;
    long seen = 0;
    for (Target target : targets) {
      seen += Math.max(0, target.weight());
      if (point < seen) {
        return target;
      }
    }
    return targets.get(targets.size() - 1);
  }
}
