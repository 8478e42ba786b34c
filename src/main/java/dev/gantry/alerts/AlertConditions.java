package dev.gantry.alerts;

import dev.gantry.cluster.InstanceState;
import dev.gantry.cluster.ModelInstance;
import dev.gantry.cluster.NodeRecord;
import dev.gantry.cluster.NodeState;
import dev.gantry.common.DeviceHealth;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which subjects break one rule now, each as a {@link Condition} with the alert id, labels and a message a
 * person can act on. Pure: everything comes from the snapshot and the alerts of the last evaluation.
 */
final class AlertConditions {

  /** One subject breaking a rule now. */
  record Condition(String id, JsonObject labels, String message, Double value) {
  }

  private final AlertSnapshot snapshot;
  private final Map<String, Alert> previous;

  AlertConditions(AlertSnapshot snapshot, Map<String, Alert> previous) {
    this.snapshot = snapshot;
    this.previous = previous;
  }

  Map<String, Condition> of(AlertRule rule) {
    Map<String, Condition> out = new LinkedHashMap<>();
    switch (rule.kind()) {
      case NODE_UNREACHABLE -> nodeUnreachable(rule, out);
      case REPLICA_ERROR -> replicaError(rule, out);
      case DEVICE_TEMPERATURE -> deviceTemperature(rule, out);
      case DEVICE_VANISHED -> deviceVanished(rule, out);
      case MODEL_ERROR_RATE -> modelErrorRate(rule, out);
      case MODEL_TTFT_P95 -> modelTtft(rule, out);
      case DEVICE_ECC_ERRORS -> deviceEccErrors(rule, out);
      case DEVICE_UNHEALTHY -> deviceUnhealthy(rule, out);
    }
    return out;
  }

  private void nodeUnreachable(AlertRule rule, Map<String, Condition> out) {
    for (NodeRecord node : snapshot.nodes()) {
      if (node.state() == NodeState.UNREACHABLE && rule.selectsNode(node.name())) {
        add(out, rule, node.name(), new JsonObject().put("node", node.name()),
            "node " + node.name() + " is unreachable: " + node.stateMessage(), null);
      }
    }
  }

  /**
   * A replica in {@code error}, and one its node is restarting after an error (scheduled or starting
   * again while its alert is open): a crash loop stays one alert instead of flapping with every retry.
   */
  private void replicaError(AlertRule rule, Map<String, Condition> out) {
    for (ModelInstance instance : snapshot.instances()) {
      if (!rule.selectsModel(instance.modelName()) || !rule.selectsNode(instance.nodeName())) {
        continue;
      }
      String id = rule.id() + "/" + instance.id();
      JsonObject labels = new JsonObject().put("model", instance.modelName()).put("instance", instance.name())
          .put("node", instance.nodeName());
      if (instance.state() == InstanceState.ERROR) {
        add(out, rule, instance.id(), labels, "replica " + instance.name() + " of model " + instance.modelName()
            + " is in error on node " + instance.nodeName() + ": " + instance.stateMessage(), (double) instance.restartCount());
      } else if ((instance.state() == InstanceState.STARTING || instance.state() == InstanceState.SCHEDULED)
          && previous.containsKey(id) && previous.get(id).active()) {
        add(out, rule, instance.id(), labels, previous.get(id).message(), (double) instance.restartCount());
      }
    }
  }

  private void deviceTemperature(AlertRule rule, Map<String, Condition> out) {
    for (NodeRecord node : reachable(rule)) {
      for (Object item : node.hardware().devices()) {
        JsonObject device = (JsonObject) item;
        Integer temperature = device.getInteger("temperature");
        if (temperature != null && temperature > rule.threshold()) {
          String id = device.getString("id");
          add(out, rule, id, deviceLabels(node, device), "device " + id + " (" + device.getString("name", "") + ") on node "
              + node.name() + " is at " + temperature + " °C (threshold " + number(rule.threshold()) + " °C)",
              temperature.doubleValue());
        }
      }
    }
  }

  private void deviceEccErrors(AlertRule rule, Map<String, Condition> out) {
    for (NodeRecord node : reachable(rule)) {
      for (Object item : node.hardware().devices()) {
        JsonObject device = (JsonObject) item;
        Long errors = device.getLong("ecc_errors");
        if (errors != null && errors > 0) {
          String id = device.getString("id");
          add(out, rule, id, deviceLabels(node, device), "device " + id + " (" + device.getString("name", "") + ") on node "
              + node.name() + " reports " + errors + " uncorrected ECC error" + (errors == 1 ? "" : "s")
              + " since its driver loaded: its memory is failing; drain the node and have the card checked",
              errors.doubleValue());
        }
      }
    }
  }

  private void deviceUnhealthy(AlertRule rule, Map<String, Condition> out) {
    for (NodeRecord node : reachable(rule)) {
      for (Object item : node.hardware().devices()) {
        JsonObject device = (JsonObject) item;
        String health = device.getString("health");
        if (Boolean.FALSE.equals(DeviceHealth.healthy(health))) {
          String id = device.getString("id");
          add(out, rule, id, deviceLabels(node, device).put("health", health), "device " + id + " ("
              + device.getString("name", "") + ") on node " + node.name() + " reports its health as '" + health
              + "': see the vendor tool's detail for this device", null);
        }
      }
    }
  }

  private void deviceVanished(AlertRule rule, Map<String, Condition> out) {
    for (NodeRecord node : reachable(rule)) {
      KnownDevices known = snapshot.knownDevices().get(node.name());
      if (known == null || !node.startedAt().toString().equals(known.startedAt())) {
        continue;
      }
      Map<String, String> listed = new LinkedHashMap<>();
      node.hardware().devices().forEach(d -> listed.put(((JsonObject) d).getString("id"), ""));
      known.devices().forEach((id, name) -> {
        if (!listed.containsKey(id)) {
          add(out, rule, id, new JsonObject().put("node", node.name()).put("device", id).put("name", name),
              "device " + id + " (" + name + ") is no longer listed by node " + node.name()
                  + ": it fell off the bus, its driver stopped answering, or it was removed", null);
        }
      });
    }
  }

  private void modelErrorRate(AlertRule rule, Map<String, Condition> out) {
    snapshot.models().values().stream().filter(s -> rule.selectsModel(s.model())).forEach(stats -> {
      if (stats.requests() < rule.minRequests() || stats.requests() == 0) {
        return;
      }
      double rate = (double) stats.serverErrors() / stats.requests();
      if (rate > rule.threshold()) {
        add(out, rule, stats.model(), new JsonObject().put("model", stats.model()), "model " + stats.model()
            + " answered " + percent(rate) + " of " + stats.requests() + " requests with a server error over the last "
            + "5 min (threshold " + percent(rule.threshold()) + ")", rate);
      }
    });
  }

  private void modelTtft(AlertRule rule, Map<String, Condition> out) {
    snapshot.models().values().stream().filter(s -> rule.selectsModel(s.model())).forEach(stats -> {
      Double p95 = stats.ttftQuantile(0.95);
      if (p95 == null || stats.streamed() < rule.minRequests()) {
        return;
      }
      if (p95 > rule.threshold()) {
        add(out, rule, stats.model(), new JsonObject().put("model", stats.model()), "model " + stats.model()
            + "'s time to first token p95 is " + String.format(Locale.ROOT, "%.2f", p95) + " s over the last 5 min (SLO "
            + number(rule.threshold()) + " s, " + stats.streamed() + " streamed requests)", p95);
      }
    });
  }

  private Iterable<NodeRecord> reachable(AlertRule rule) {
    return snapshot.nodes().stream().filter(n -> n.state() != NodeState.UNREACHABLE && !n.state().leaving())
        .filter(n -> rule.selectsNode(n.name())).toList();
  }

  private static JsonObject deviceLabels(NodeRecord node, JsonObject device) {
    return new JsonObject().put("node", node.name()).put("device", device.getString("id"))
        .put("vendor", device.getString("vendor")).put("name", device.getString("name"));
  }

  private static void add(Map<String, Condition> out, AlertRule rule, String subject, JsonObject labels, String message,
      Double value) {
    String id = rule.id() + "/" + subject;
    out.put(id, new Condition(id, labels, message, value));
  }

  private static String percent(double ratio) {
    return String.format(Locale.ROOT, "%.1f %%", ratio * 100);
  }

  private static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
