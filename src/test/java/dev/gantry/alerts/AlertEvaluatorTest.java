package dev.gantry.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.cluster.InstanceState;
import dev.gantry.cluster.ModelInstance;
import dev.gantry.cluster.NodeRecord;
import dev.gantry.cluster.NodeState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AlertEvaluatorTest {

  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
  private static final Instant STARTED = Instant.parse("2026-11-30T23:00:00Z");
  private static final AlertRule REPLICA = rule("replica-error", AlertKind.REPLICA_ERROR, null, 30);
  private static final AlertRule HOT = rule("hot", AlertKind.DEVICE_TEMPERATURE, 90.0, 120);

  @Test
  void aReplicaInErrorIsPendingThenFiresOnceItsForHasPassed() {
    AlertSnapshot broken = snapshot(List.of(node("n2", NodeState.READY, devices())), List.of(replica("chat-1", InstanceState.ERROR,
        "engine exited with status 1")));

    AlertEvaluator.Result first = AlertEvaluator.evaluate(broken, List.of(REPLICA), Map.of(), T0);
    Alert pending = first.alerts().get("replica-error/id-chat-1");
    assertThat(pending.state()).isEqualTo(Alert.State.PENDING);
    assertThat(first.transitions()).isEmpty();

    AlertEvaluator.Result early = AlertEvaluator.evaluate(broken, List.of(REPLICA), first.alerts(), T0.plusSeconds(29));
    assertThat(early.alerts().get(pending.id()).state()).isEqualTo(Alert.State.PENDING);
    assertThat(early.transitions()).isEmpty();

    AlertEvaluator.Result due = AlertEvaluator.evaluate(broken, List.of(REPLICA), early.alerts(), T0.plusSeconds(30));
    Alert firing = due.alerts().get(pending.id());
    assertThat(firing.state()).isEqualTo(Alert.State.FIRING);
    assertThat(firing.firingAt()).isEqualTo(T0.plusSeconds(30));
    assertThat(firing.startedAt()).isEqualTo(T0);
    assertThat(firing.message()).isEqualTo("replica chat-1 of model chat is in error on node n2: engine exited with status 1");
    assertThat(firing.labels().getMap()).containsEntry("model", "chat").containsEntry("instance", "chat-1")
        .containsEntry("node", "n2");
    assertThat(due.transitions()).extracting(t -> t.alert().state()).containsExactly(Alert.State.FIRING);

    AlertEvaluator.Result still = AlertEvaluator.evaluate(broken, List.of(REPLICA), due.alerts(), T0.plusSeconds(40));
    assertThat(still.transitions()).as("a firing alert is delivered once, not on every evaluation").isEmpty();
  }

  @Test
  void aConditionThatClearsBeforeItsForNeverFires() {
    AlertSnapshot hot = snapshot(List.of(node("n1", NodeState.READY, devices(95))), List.of());
    AlertSnapshot cool = snapshot(List.of(node("n1", NodeState.READY, devices(70))), List.of());
    Map<String, Alert> alerts = Map.of();
    int transitions = 0;
    for (int second = 0; second < 600; second += 10) {
      AlertSnapshot now = (second / 60) % 2 == 0 ? hot : cool;
      AlertEvaluator.Result result = AlertEvaluator.evaluate(now, List.of(HOT), alerts, T0.plusSeconds(second));
      alerts = result.alerts();
      transitions += result.transitions().size();
    }
    assertThat(transitions).as("hot for 60 s at a time, rule wants 120 s").isZero();
    assertThat(alerts.values()).noneMatch(a -> a.state() == Alert.State.FIRING);
  }

  @Test
  void aFiringAlertResolvesWhenItsConditionClearsAndIsKeptAsResolved() {
    AlertSnapshot broken = snapshot(List.of(node("n2", NodeState.READY, devices())),
        List.of(replica("chat-1", InstanceState.ERROR, "boom")));
    AlertSnapshot fixed = snapshot(List.of(node("n2", NodeState.READY, devices())),
        List.of(replica("chat-1", InstanceState.RUNNING, null)));
    Map<String, Alert> firing = AlertEvaluator.evaluate(broken, List.of(REPLICA),
        AlertEvaluator.evaluate(broken, List.of(REPLICA), Map.of(), T0).alerts(), T0.plusSeconds(31)).alerts();

    AlertEvaluator.Result result = AlertEvaluator.evaluate(fixed, List.of(REPLICA), firing, T0.plusSeconds(40));

    Alert resolved = result.alerts().get("replica-error/id-chat-1");
    assertThat(resolved.state()).isEqualTo(Alert.State.RESOLVED);
    assertThat(resolved.resolvedAt()).isEqualTo(T0.plusSeconds(40));
    assertThat(resolved.firingAt()).isEqualTo(T0.plusSeconds(31));
    assertThat(result.transitions()).extracting(t -> t.alert().state()).containsExactly(Alert.State.RESOLVED);

    Map<String, Alert> later = AlertEvaluator.evaluate(fixed, List.of(REPLICA), result.alerts(), T0.plusSeconds(50)).alerts();
    assertThat(later.get(resolved.id())).isEqualTo(resolved);
    Map<String, Alert> dayLater = AlertEvaluator.evaluate(fixed, List.of(REPLICA), later,
        T0.plusSeconds(40).plus(AlertEvaluator.RESOLVED_KEPT)).alerts();
    assertThat(dayLater).doesNotContainKey(resolved.id());
  }

  @Test
  void aCrashLoopStaysOneAlertWhileItsNodeRestartsTheEngine() {
    AlertSnapshot error = snapshot(List.of(), List.of(replica("chat-1", InstanceState.ERROR, "exit 1; retry in 2 s")));
    AlertSnapshot restarting = snapshot(List.of(), List.of(replica("chat-1", InstanceState.STARTING, "starting")));
    Map<String, Alert> alerts = AlertEvaluator.evaluate(error, List.of(REPLICA), Map.of(), T0).alerts();

    alerts = AlertEvaluator.evaluate(restarting, List.of(REPLICA), alerts, T0.plusSeconds(10)).alerts();
    alerts = AlertEvaluator.evaluate(error, List.of(REPLICA), alerts, T0.plusSeconds(20)).alerts();
    AlertEvaluator.Result due = AlertEvaluator.evaluate(restarting, List.of(REPLICA), alerts, T0.plusSeconds(30));

    assertThat(due.transitions()).singleElement().satisfies(t -> {
      assertThat(t.alert().state()).isEqualTo(Alert.State.FIRING);
      assertThat(t.alert().message()).contains("exit 1; retry in 2 s");
    });
    assertThat(AlertEvaluator.evaluate(restarting, List.of(REPLICA), Map.of(), T0).alerts())
        .as("a replica that starts without an error before it raises nothing").isEmpty();
  }

  @Test
  void aDisabledRuleResolvesItsFiringAlertsAndDropsItsPendingOnes() {
    AlertSnapshot hot = snapshot(List.of(node("n1", NodeState.READY, devices(95, 96))), List.of());
    AlertRule now = rule("hot", AlertKind.DEVICE_TEMPERATURE, 90.0, 0);
    Map<String, Alert> firing = AlertEvaluator.evaluate(hot, List.of(now), Map.of(), T0).alerts();
    assertThat(firing.values()).hasSize(2).allMatch(a -> a.state() == Alert.State.FIRING);

    AlertRule off = new AlertRule("hot", AlertKind.DEVICE_TEMPERATURE, 90.0, Duration.ZERO, null, null, "warning", false,
        false, 20);
    AlertEvaluator.Result result = AlertEvaluator.evaluate(hot, List.of(off), firing, T0.plusSeconds(2));

    assertThat(result.alerts().values()).allMatch(a -> a.state() == Alert.State.RESOLVED);
    assertThat(result.transitions()).hasSize(2);
  }

  @Test
  void aRuleWithoutForFiresAtOnceAndTemperaturesAreJudgedPerDeviceAndSelectedNode() {
    AlertSnapshot snapshot = snapshot(List.of(node("n1", NodeState.READY, devices(91, 60)),
        node("n2", NodeState.READY, devices(99))), List.of());
    AlertRule onlyN1 = new AlertRule("hot-n1", AlertKind.DEVICE_TEMPERATURE, 90.0, Duration.ZERO, null, "n1", "critical",
        true, false, 20);

    AlertEvaluator.Result result = AlertEvaluator.evaluate(snapshot, List.of(onlyN1), Map.of(), T0);

    assertThat(result.alerts().keySet()).containsExactly("hot-n1/n1:cuda:0");
    Alert alert = result.alerts().get("hot-n1/n1:cuda:0");
    assertThat(alert.state()).isEqualTo(Alert.State.FIRING);
    assertThat(alert.value()).isEqualTo(91.0);
    assertThat(alert.message()).isEqualTo("device n1:cuda:0 (NVIDIA L40S) on node n1 is at 91 °C (threshold 90 °C)");
  }

  @Test
  void anUnreachableNodeFiresAfterItsForAndResolvesWhenItIsBack() {
    AlertRule unreachable = rule("node-unreachable", AlertKind.NODE_UNREACHABLE, null, 60);
    AlertSnapshot gone = snapshot(List.of(node("n3", NodeState.UNREACHABLE, devices())), List.of());
    AlertSnapshot back = snapshot(List.of(node("n3", NodeState.READY, devices())), List.of());
    Map<String, Alert> alerts = AlertEvaluator.evaluate(gone, List.of(unreachable), Map.of(), T0).alerts();
    AlertEvaluator.Result fired = AlertEvaluator.evaluate(gone, List.of(unreachable), alerts, T0.plusSeconds(60));
    assertThat(fired.transitions()).singleElement()
        .satisfies(t -> assertThat(t.alert().message()).startsWith("node n3 is unreachable: "));

    AlertEvaluator.Result resolved = AlertEvaluator.evaluate(back, List.of(unreachable), fired.alerts(), T0.plusSeconds(70));
    assertThat(resolved.transitions()).singleElement().satisfies(t -> assertThat(t.alert().state()).isEqualTo(Alert.State.RESOLVED));
  }

  @Test
  void aDeviceThatVanishesFromAReachableNodeFiresUntilItReturnsOrTheNodeRestarts() {
    AlertRule vanished = rule("device-vanished", AlertKind.DEVICE_VANISHED, null, 0);
    NodeRecord both = node("n1", NodeState.READY, devices(50, 50));
    NodeRecord one = node("n1", NodeState.READY, devices(50));
    AlertEvaluator.Result seen = AlertEvaluator.evaluate(snapshot(List.of(both), List.of()), List.of(vanished), Map.of(), T0);
    assertThat(seen.alerts()).isEmpty();
    assertThat(seen.knownDevices().get("n1").devices()).containsOnlyKeys("n1:cuda:0", "n1:cuda:1");

    AlertEvaluator.Result gone = AlertEvaluator.evaluate(new AlertSnapshot(List.of(one), List.of(), Map.of(),
        seen.knownDevices()), List.of(vanished), seen.alerts(), T0.plusSeconds(2));
    assertThat(gone.transitions()).singleElement().satisfies(t -> assertThat(t.alert().message())
        .startsWith("device n1:cuda:1 (NVIDIA L40S) is no longer listed by node n1"));
    assertThat(gone.knownDevices().get("n1").devices()).as("still known: it is missed").containsKey("n1:cuda:1");

    NodeRecord restarted = new NodeRecord("n1", "127.0.0.1", 1, 2, "m", Map.of(), false, false, NodeState.READY, null, "dev",
        STARTED.plusSeconds(600), T0, null, hardware(devices(50)), List.of());
    AlertEvaluator.Result after = AlertEvaluator.evaluate(new AlertSnapshot(List.of(restarted), List.of(), Map.of(),
        gone.knownDevices()), List.of(vanished), gone.alerts(), T0.plusSeconds(4));
    assertThat(after.transitions()).singleElement().satisfies(t -> assertThat(t.alert().state()).isEqualTo(Alert.State.RESOLVED));
    assertThat(after.knownDevices().get("n1").devices()).containsOnlyKeys("n1:cuda:0");
  }

  @Test
  void modelErrorRateNeedsItsMinimumRequestsAndTtftIsJudgedByItsP95() {
    AlertRule errors = new AlertRule("errors", AlertKind.MODEL_ERROR_RATE, 0.05, Duration.ZERO, null, null, "warning", true,
        false, 20);
    AlertRule ttft = new AlertRule("ttft", AlertKind.MODEL_TTFT_P95, 2.0, Duration.ZERO, null, null, "warning", true, false, 20);
    TreeMap<Double, Long> slow = new TreeMap<>(Map.of(1.0, 5L, 2.0, 5L, 5.0, 90L));
    Map<String, ModelStats> stats = Map.of(
        "few", new ModelStats("few", 10, 5, new TreeMap<>(), 0),
        "bad", new ModelStats("bad", 100, 6, new TreeMap<>(), 0),
        "fine", new ModelStats("fine", 100, 5, new TreeMap<>(Map.of(1.0, 100L)), 0),
        "slow", new ModelStats("slow", 100, 0, slow, 0));

    AlertEvaluator.Result result = AlertEvaluator.evaluate(new AlertSnapshot(List.of(), List.of(), stats, Map.of()),
        List.of(errors, ttft), Map.of(), T0);

    assertThat(result.alerts().keySet()).containsExactlyInAnyOrder("errors/bad", "ttft/slow");
    assertThat(result.alerts().get("errors/bad").message())
        .isEqualTo("model bad answered 6.0 % of 100 requests with a server error over the last 5 min (threshold 5.0 %)");
    assertThat(result.alerts().get("ttft/slow").value()).isCloseTo(4.83, org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void theTtftQuantileIsInterpolatedInsideItsBucketLikePrometheus() {
    ModelStats stats = new ModelStats("m", 10, 0, new TreeMap<>(Map.of(0.5, 0L, 1.0, 10L)), 0);
    assertThat(stats.ttftQuantile(0.95)).isCloseTo(0.975, org.assertj.core.data.Offset.offset(1e-9));
    ModelStats above = new ModelStats("m", 10, 0, new TreeMap<>(Map.of(1.0, 0L)), 10);
    assertThat(above.ttftQuantile(0.95)).isEqualTo(1.0);
    assertThat(new ModelStats("m", 10, 0, new TreeMap<>(), 0).ttftQuantile(0.95)).isNull();
  }

  @Test
  void publishedHealthOfSeveralNodesIsSummedPerModel() {
    String n1 = new JsonObject().put("node", "n1").put("model", "chat").put("requests", 10).put("server_errors", 1)
        .put("ttft", new JsonObject().put("bounds", new JsonArray().add(1.0).add(2.0)).put("counts", new JsonArray().add(3).add(1).add(0)))
        .encode();
    String n2 = new JsonObject().put("node", "n2").put("model", "chat").put("requests", 30).put("server_errors", 2)
        .put("ttft", new JsonObject().put("bounds", new JsonArray().add(1.0).add(2.0)).put("counts", new JsonArray().add(1).add(1).add(4)))
        .encode();

    ModelStats chat = ModelStats.sum(List.of(n1, n2)).get("chat");

    assertThat(chat.requests()).isEqualTo(40);
    assertThat(chat.serverErrors()).isEqualTo(3);
    assertThat(chat.ttftBuckets()).containsEntry(1.0, 4L).containsEntry(2.0, 2L);
    assertThat(chat.ttftAbove()).isEqualTo(4);
    assertThat(chat.streamed()).isEqualTo(10);
  }

  private static AlertRule rule(String id, AlertKind kind, Double threshold, int forSeconds) {
    return new AlertRule(id, kind, threshold, Duration.ofSeconds(forSeconds), null, null, "critical", true, true, 20);
  }

  private static AlertSnapshot snapshot(List<NodeRecord> nodes, List<ModelInstance> instances) {
    Map<String, KnownDevices> known = new HashMap<>();
    return new AlertSnapshot(nodes, instances, Map.of(), known);
  }

  private static JsonArray devices(int... temperatures) {
    JsonArray out = new JsonArray();
    for (int temperature : temperatures) {
      out.add(new JsonObject().put("vendor", "nvidia").put("name", "NVIDIA L40S").put("temperature", temperature));
    }
    return out;
  }

  private static NodeRecord node(String name, NodeState state, JsonArray devices) {
    JsonArray named = new JsonArray();
    for (int i = 0; i < devices.size(); i++) {
      named.add(devices.getJsonObject(i).copy().put("id", name + ":cuda:" + i));
    }
    return new NodeRecord(name, "127.0.0.1", 1, 2, "m", Map.of(), false, false, state, state == NodeState.UNREACHABLE
        ? "left the cluster at " + T0 : null, "dev", STARTED, T0, null, hardware(named), List.of());
  }

  private static NodeRecord.Hardware hardware(JsonArray devices) {
    JsonArray named = new JsonArray();
    for (int i = 0; i < devices.size(); i++) {
      JsonObject device = devices.getJsonObject(i);
      named.add(device.containsKey("id") ? device : device.copy().put("id", "n1:cuda:" + i));
    }
    return new NodeRecord.Hardware(new JsonObject(), new JsonObject(), new JsonObject(), named);
  }

  private static ModelInstance replica(String name, InstanceState state, String message) {
    return new ModelInstance("id-" + name, name, 1L, "chat", "custom", List.of(), state, message, 1, List.of(), null, "n2",
        "127.0.0.1", 0, 0, null, null, null, T0, T0, null);
  }
}
