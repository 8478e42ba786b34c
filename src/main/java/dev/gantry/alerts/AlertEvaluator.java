package dev.gantry.alerts;

import dev.gantry.cluster.NodeRecord;
import dev.gantry.cluster.NodeState;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The alerting decision, pure: from a snapshot of the cluster, the rules, the alerts of the last
 * evaluation and the time, the next alerts and the transitions to deliver.
 * <ul>
 * <li>A condition seen for the first time makes a {@code pending} alert (or a {@code firing} one at once
 * when its rule's {@code for} is 0); it fires once the condition held for {@code for}.</li>
 * <li>A pending alert whose condition clears is dropped: flapping shorter than {@code for} never fires.</li>
 * <li>A firing alert whose condition clears, or whose rule was disabled or deleted, is {@code resolved}.</li>
 * <li>Resolved alerts are kept {@link #RESOLVED_KEPT} (at most {@link #RESOLVED_MAX}, newest first), and are
 * replaced by a new pending alert when the same trouble comes back.</li>
 * </ul>
 */
public final class AlertEvaluator {

  static final Duration RESOLVED_KEPT = Duration.ofHours(24);
  static final int RESOLVED_MAX = 200;

  /** A firing or resolved alert to deliver. */
  public record Transition(Alert alert) {
  }

  /** The next alerts (by id), what to deliver, and the devices each reachable node listed since it started. */
  public record Result(Map<String, Alert> alerts, List<Transition> transitions, Map<String, KnownDevices> knownDevices) {
  }

  public static Result evaluate(AlertSnapshot snapshot, List<AlertRule> rules, Map<String, Alert> previous, Instant now) {
    AlertConditions conditions = new AlertConditions(snapshot, previous);
    Map<String, Alert> next = new LinkedHashMap<>();
    List<Transition> transitions = new ArrayList<>();
    for (AlertRule rule : rules) {
      if (!rule.enabled() || rule.kind() == null) {
        continue;
      }
      conditions.of(rule).forEach((id, condition) -> {
        Alert before = previous.get(id);
        Alert after = step(rule, before, condition, now);
        next.put(id, after);
        if (after.state() == Alert.State.FIRING && (before == null || before.state() != Alert.State.FIRING)) {
          transitions.add(new Transition(after));
        }
      });
    }
    previous.forEach((id, before) -> {
      if (next.containsKey(id)) {
        return;
      }
      if (before.state() == Alert.State.FIRING) {
        Alert resolved = before.resolved(now);
        next.put(id, resolved);
        transitions.add(new Transition(resolved));
      } else if (before.state() == Alert.State.RESOLVED && before.resolvedAt() != null
          && before.resolvedAt().plus(RESOLVED_KEPT).isAfter(now)) {
        next.put(id, before);
      }
    });
    trimResolved(next);
    return new Result(next, transitions, knownDevices(snapshot));
  }

  private static Alert step(AlertRule rule, Alert before, AlertConditions.Condition condition, Instant now) {
    if (before == null || before.state() == Alert.State.RESOLVED) {
      Alert pending = new Alert(condition.id(), rule.id(), rule.kind(), rule.severity(), Alert.State.PENDING,
          condition.labels(), condition.message(), condition.value(), now, null, null);
      return rule.forDuration().isZero() ? pending.firing(now, condition.message(), condition.value()) : pending;
    }
    Alert seen = before.seen(condition.message(), condition.value(), rule.severity());
    if (seen.state() == Alert.State.PENDING && !now.isBefore(seen.startedAt().plus(rule.forDuration()))) {
      return seen.firing(now, condition.message(), condition.value());
    }
    return seen;
  }

  private static void trimResolved(Map<String, Alert> alerts) {
    List<Alert> resolved = alerts.values().stream().filter(a -> a.state() == Alert.State.RESOLVED)
        .sorted(Comparator.comparing(Alert::resolvedAt).reversed()).toList();
    resolved.stream().skip(RESOLVED_MAX).forEach(a -> alerts.remove(a.id()));
  }

  /**
   * The devices each reachable node lists now, added to those it listed since the same start; a node
   * that restarted begins again, an unreachable or leaving node keeps what it had.
   */
  static Map<String, KnownDevices> knownDevices(AlertSnapshot snapshot) {
    Map<String, KnownDevices> out = new HashMap<>();
    for (NodeRecord node : snapshot.nodes()) {
      KnownDevices known = snapshot.knownDevices().get(node.name());
      if (node.state() == NodeState.UNREACHABLE || node.state().leaving()) {
        if (known != null) {
          out.put(node.name(), known);
        }
        continue;
      }
      String started = node.startedAt().toString();
      Map<String, String> devices = new HashMap<>();
      if (known != null && started.equals(known.startedAt())) {
        devices.putAll(known.devices());
      }
      node.hardware().devices().forEach(d -> {
        JsonObject device = (JsonObject) d;
        devices.put(device.getString("id"), device.getString("name", ""));
      });
      out.put(node.name(), new KnownDevices(started, devices));
    }
    return out;
  }

  private AlertEvaluator() {
  }
}
