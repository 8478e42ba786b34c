package dev.gantry.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.cluster.NodeRecord;
import dev.gantry.cluster.NodeSettings;
import dev.gantry.cluster.NodeState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class NodeWatchThrottleTest {

  private static final long EVERY = NodeWatchThrottle.MEASUREMENTS_EVERY_MS;

  /** A clock and timers the test moves by hand. */
  private long now = 1_000_000;
  private final TreeMap<Long, Runnable> due = new TreeMap<>();
  private final Map<Long, Long> timerAt = new java.util.HashMap<>();
  private long nextTimer;
  private final List<String> passed = new ArrayList<>();
  private final NodeWatchThrottle throttle = new NodeWatchThrottle(new NodeWatchThrottle.Timers() {
    @Override
    public long after(long delayMs, Runnable task) {
      long id = nextTimer++;
      long at = now + delayMs;
      timerAt.put(id, at);
      due.put(at * 1000 + id, task);
      return id;
    }

    @Override
    public void cancel(long id) {
      Long at = timerAt.remove(id);
      if (at != null) {
        due.remove(at * 1000 + id);
      }
    }
  }, () -> now, (type, record) -> passed.add(type + " " + record.hardware().cpu().getDouble("utilization")
      + " " + record.labels()));

  private void advance(long ms) {
    long until = now + ms;
    while (!due.isEmpty() && due.firstKey() / 1000 <= until) {
      Map.Entry<Long, Runnable> next = due.pollFirstEntry();
      now = next.getKey() / 1000;
      next.getValue().run();
    }
    now = until;
  }

  private NodeRecord node(double cpu, Map<String, String> labels) {
    Instant beat = Instant.ofEpochMilli(now);
    JsonArray devices = new JsonArray().add(new JsonObject().put("id", "n1:cpu:0").put("type", "cpu")
        .put("utilization", (int) cpu).put("memory_used", (long) cpu * 1000));
    return new NodeRecord("n1", "127.0.0.1", 8080, 5701, "m1", labels, false, false, NodeState.READY, null, "1.0",
        Instant.ofEpochMilli(0), beat, null, new NodeRecord.Hardware(new JsonObject().put("name", "Linux"),
            new JsonObject().put("cores", 2).put("utilization", cpu), new JsonObject().put("total", 100).put("used", (long) cpu),
            devices), null);
  }

  @Test
  void heartbeatsWithNewMeasurementsPassAtMostOncePerIntervalTheLatestOne() {
    throttle.accept("CREATED", node(1, Map.of()));
    for (int beat = 1; beat <= 3; beat++) {
      advance(3_000);
      throttle.accept("UPDATED", node(10 + beat, Map.of()));
    }
    assertThat(passed).containsExactly("CREATED 1.0 {}");

    advance(EVERY - 9_000);

    assertThat(passed).containsExactly("CREATED 1.0 {}", "UPDATED 13.0 {}");
  }

  @Test
  void aHeartbeatAfterAQuietIntervalPassesAtOnce() {
    throttle.accept("UPDATED", node(1, Map.of()));
    advance(EVERY);

    throttle.accept("UPDATED", node(2, Map.of()));

    assertThat(passed).containsExactly("UPDATED 1.0 {}", "UPDATED 2.0 {}");
    advance(3 * EVERY);
    assertThat(passed).as("nothing held back, nothing more to send").hasSize(2);
  }

  @Test
  void aChangeAUserSeesPassesAtOnceAndReplacesAHeldHeartbeat() {
    throttle.accept("CREATED", node(1, Map.of()));
    advance(3_000);
    throttle.accept("UPDATED", node(2, Map.of()));

    throttle.accept("UPDATED", node(3, Map.of("team", "a")));
    advance(3 * EVERY);

    assertThat(passed).containsExactly("CREATED 1.0 {}", "UPDATED 3.0 {team=a}");
  }

  @Test
  void stateMaintenanceAndDeletionPassAtOnce() {
    NodeRecord ready = node(1, Map.of());
    throttle.accept("CREATED", ready);
    advance(1_000);
    NodeRecord maintenance = ready.withSettings(new NodeSettings(Map.of(), true));
    throttle.accept("UPDATED", maintenance);
    advance(1_000);
    throttle.accept("UPDATED", maintenance.unreachable(Instant.ofEpochMilli(now)));
    advance(1_000);
    throttle.accept("UPDATED", node(5, Map.of()));
    throttle.accept("DELETED", node(5, Map.of()));
    advance(3 * EVERY);

    assertThat(passed).hasSize(5).last().isEqualTo("DELETED 5.0 {}");
  }

  @Test
  void theShapeLeavesOutOnlyHeartbeatAndMeasurements() {
    JsonObject shape = NodeWatchThrottle.shape(node(42, Map.of("zone", "eu")));

    assertThat(shape.containsKey("heartbeat_at")).isFalse();
    assertThat(shape.getJsonObject("cpu").encode()).isEqualTo("{\"cores\":2}");
    assertThat(shape.getJsonObject("memory").encode()).isEqualTo("{\"total\":100}");
    assertThat(shape.getJsonArray("devices").getJsonObject(0).encode()).isEqualTo("{\"id\":\"n1:cpu:0\",\"type\":\"cpu\"}");
    assertThat(shape.getJsonObject("labels").getString("zone")).isEqualTo("eu");
    assertThat(shape.getString("state")).isEqualTo("ready");
  }
}
