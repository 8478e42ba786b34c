package dev.gantry.gateway;

import dev.gantry.common.ApiException;
import dev.gantry.route.FallbackOn.Trigger;
import dev.gantry.route.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * What each target of one request's plan did, and the error once the plan is spent: for a route 503
 * {@code route_unavailable} naming every target tried and what it did (never a credential); for a model
 * called by its name the answers it always had (503 {@code model_unavailable}, 502 {@code upstream_error}).
 */
final class TriedTargets {

  private final List<String> failures = new ArrayList<>(2);

  void failed(String problem) {
    failures.add(problem);
  }

  ApiException exhausted(Resolved resolved, Trigger trigger, String problem, int replicasTried) {
    if (resolved.route() != null) {
      failures.add(problem);
      return new ApiException(503, "route_unavailable", "route '" + resolved.name() + "': no target could answer; "
          + "tried " + String.join("; ", failures));
    }
    if (trigger == Trigger.UNAVAILABLE) {
      return new ApiException(503, "model_unavailable", problem);
    }
    return new ApiException(502, "upstream_error", resolved.plainModel() ? "no replica of model '" + resolved.name()
        + "' could answer (" + replicasTried + " tried); last: " + problem : problem);
  }

  /** Why a target had nothing to try. */
  static String unavailable(Target target, UpstreamProxy proxy) {
    if (!target.external()) {
      return proxy.unavailable(target.model());
    }
    return proxy.routing().provider(target.provider()) == null ? "provider '" + target.provider() + "' no longer exists"
        : "provider model '" + target.name() + "': every credential's circuit is open after failures; "
            + "it is tried again after the provider's cool_down_ms";
  }
}
