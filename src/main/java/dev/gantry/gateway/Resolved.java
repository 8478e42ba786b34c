package dev.gantry.gateway;

import dev.gantry.route.CredentialRing;
import dev.gantry.route.FallbackOn;
import dev.gantry.route.Route;
import dev.gantry.route.RoutePlan;
import dev.gantry.route.Routing;
import dev.gantry.route.Target;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the name a client sent as {@code model} stands for, in this order: a Gantry model (its own name
 * always wins), a route, or {@code <provider>/<model>} of a provider that offers it; and the targets one
 * request will try, in order ({@link RoutePlan}: a route's weighted pick among targets that can answer
 * now, then its fallbacks). {@code route} is null for a model or a provider model (no fallback then).
 */
record Resolved(String name, Route route, List<Target> plan) {

  private static final FallbackOn NO_FALLBACK = new FallbackOn(false, false, false, 0, 0);

  /** What {@code name} resolves to on this node, or null when nothing is called so. */
  static Resolved of(String name, InstanceDirectory directory, Routing routing) {
    if (name == null || name.isEmpty()) {
      return null;
    }
    if (directory.model(name) != null) {
      return new Resolved(name, null, List.of(new Target(name, null, 1)));
    }
    Route route = routing.route(name);
    if (route != null) {
      return new Resolved(name, route, RoutePlan.of(route, target -> available(target, directory, routing),
          ThreadLocalRandom.current().nextDouble()));
    }
    Target external = routing.providerModel(name);
    return external == null ? null : new Resolved(name, null, List.of(external));
  }

  /** A Gantry model with a running replica, or a provider with a credential whose circuit is not open. */
  static boolean available(Target target, InstanceDirectory directory, Routing routing) {
    if (!target.external()) {
      return !directory.running(target.model()).isEmpty();
    }
    CredentialRing ring = routing.ring(target.provider());
    return ring != null && ring.anyUsable();
  }

  /** A Gantry model called by its own name: what the gateway did before routes existed. */
  boolean plainModel() {
    return route == null && !plan.get(0).external();
  }

  FallbackOn fallbackOn() {
    return route == null ? NO_FALLBACK : route.fallbackOn();
  }
}
