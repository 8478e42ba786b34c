package dev.gantry.alerts;

import dev.gantry.cluster.ClusterMaps;
import dev.gantry.cluster.SharedMap;
import dev.gantry.cluster.SharedMaps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The one owner of the alerting maps: rules and receivers (read models of PostgreSQL, loaded at boot and
 * written through by the API), the alerts and known devices (written by the leader's evaluation, so a new
 * leader continues where the last one stopped), the delivery outbox, and the gateways' model health.
 */
public final class ClusterAlerts {

  private final Vertx vertx;
  private final SharedMap rules;
  private final SharedMap receivers;
  private final SharedMap alerts;
  private final SharedMap devices;
  private final SharedMap outbox;
  private final SharedMap modelHealth;

  public ClusterAlerts(SharedMaps maps) {
    this.vertx = maps.vertx();
    this.rules = maps.map(ClusterMaps.ALERT_RULES);
    this.receivers = maps.map(ClusterMaps.ALERT_RECEIVERS);
    this.alerts = maps.map(ClusterMaps.ALERTS);
    this.devices = maps.map(ClusterMaps.ALERT_DEVICES);
    this.outbox = maps.map(ClusterMaps.ALERT_OUTBOX);
    this.modelHealth = maps.map(ClusterMaps.MODEL_HEALTH);
  }

  /** Copies what PostgreSQL holds into the maps (at boot: the tables are the truth). */
  public Future<Void> load(PgAlertStore store) {
    return Future.all(store.rules(), store.receivers()).compose(loaded -> vertx.executeBlocking(() -> {
      List<AlertRule> storedRules = loaded.resultAt(0);
      List<AlertReceiver> storedReceivers = loaded.resultAt(1);
      storedRules.forEach(r -> rules.setBlocking(r.id(), r.toJson().encode()));
      storedReceivers.forEach(r -> receivers.setBlocking(r.id(), r.toJson().encode()));
      return null;
    }, false)).mapEmpty();
  }

  public Future<List<AlertRule>> rules() {
    return rules.entries().map(all -> all.values().stream().map(raw -> AlertRule.fromJson(new JsonObject(raw)))
        .sorted(RULE_ORDER).toList());
  }

  public Future<AlertRule> rule(String id) {
    return rules.get(id).map(raw -> raw == null ? null : AlertRule.fromJson(new JsonObject(raw)));
  }

  public Future<Void> putRule(AlertRule rule) {
    return rules.set(rule.id(), rule.toJson().encode());
  }

  public Future<Void> removeRule(String id) {
    return rules.remove(id).mapEmpty();
  }

  public Future<List<AlertReceiver>> receivers() {
    return receivers.entries().map(all -> all.values().stream().map(raw -> AlertReceiver.fromJson(new JsonObject(raw)))
        .sorted(Comparator.comparing(AlertReceiver::name)).toList());
  }

  public Future<AlertReceiver> receiver(String id) {
    return receivers.get(id).map(raw -> raw == null ? null : AlertReceiver.fromJson(new JsonObject(raw)));
  }

  public Future<Void> putReceiver(AlertReceiver receiver) {
    return receivers.set(receiver.id(), receiver.toJson().encode());
  }

  public Future<Void> removeReceiver(String id) {
    return receivers.remove(id).mapEmpty();
  }

  public Future<Map<String, Alert>> alerts() {
    return alerts.entries().map(all -> {
      Map<String, Alert> out = new HashMap<>();
      all.forEach((id, raw) -> out.put(id, Alert.fromJson(new JsonObject(raw))));
      return out;
    });
  }

  /** Writes the alerts that changed and removes those the evaluation dropped. */
  Future<Void> replaceAlerts(Map<String, Alert> before, Map<String, Alert> after) {
    return vertx.executeBlocking(() -> {
      after.forEach((id, alert) -> {
        if (!alert.equals(before.get(id))) {
          alerts.setBlocking(id, alert.toJson().encode());
        }
      });
      before.keySet().stream().filter(id -> !after.containsKey(id)).forEach(alerts::removeBlocking);
      return null;
    }, false);
  }

  /** Calls {@code sink} with the change type and the alert for every change on any node. */
  public Future<SharedMap.Listening> listenAlerts(BiConsumer<SharedMap.ChangeType, Alert> sink) {
    return alerts.listen(change -> sink.accept(change.type(), Alert.fromJson(new JsonObject(change.value()))));
  }

  Future<Map<String, KnownDevices>> knownDevices() {
    return devices.entries().map(all -> {
      Map<String, KnownDevices> out = new HashMap<>();
      all.forEach((node, raw) -> out.put(node, KnownDevices.fromJson(new JsonObject(raw))));
      return out;
    });
  }

  Future<Void> replaceKnownDevices(Map<String, KnownDevices> before, Map<String, KnownDevices> after) {
    return vertx.executeBlocking(() -> {
      after.forEach((node, known) -> {
        if (!known.equals(before.get(node))) {
          devices.setBlocking(node, known.toJson().encode());
        }
      });
      before.keySet().stream().filter(node -> !after.containsKey(node)).forEach(devices::removeBlocking);
      return null;
    }, false);
  }

  Future<Map<String, ModelStats>> modelStats() {
    return modelHealth.entries().map(all -> ModelStats.sum(all.values()));
  }

  SharedMap outbox() {
    return outbox;
  }

  /** Built-in rules first, in the order of their kinds; then the others by id. */
  private static final Comparator<AlertRule> RULE_ORDER = Comparator
      .comparing((AlertRule r) -> !r.builtin()).thenComparing(r -> r.kind() == null ? 99 : r.kind().ordinal())
      .thenComparing(AlertRule::id);
}
