package dev.gantry.scheduler.autoscale;

import dev.gantry.common.AutoscaleSpec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.scheduler.autoscale.AutoscalePolicy.Decision;
import dev.gantry.scheduler.autoscale.AutoscalePolicy.Observation;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AutoscalePolicyTest {

  private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
  private final AutoscalePolicy policy = new AutoscalePolicy();

  private static AutoscaleSpec spec(int min, int max) {
    return AutoscaleSpec.of(new JsonObject().put("autoscale", new JsonObject().put("min", min).put("max", max)
        .put("target_in_flight_per_replica", 4).put("scale_up_delay", 60).put("scale_down_delay", 120)
        .put("idle_time", 300)));
  }

  /** Feeds one observation per second from {@code from} for {@code seconds}; answers the first decision. */
  private Decision feed(AutoscaleSpec spec, int replicas, int from, int seconds, double inFlight, boolean requests) {
    for (int s = from; s < from + seconds; s++) {
      Decision decision = policy.observe("m", spec, replicas, new Observation(T0.plusSeconds(s), inFlight, 0, requests));
      if (decision != null) {
        return decision;
      }
    }
    return null;
  }

  @Test
  void scalesUpOnlyAfterTheLoadHeldForTheWholeWindowWithTheReason() {
    AutoscaleSpec spec = spec(1, 10);
    assertThat(feed(spec, 3, 0, 59, 27.6, true)).as("not before the window is full").isNull();
    Decision up = feed(spec, 3, 59, 5, 27.6, true);
    assertThat(up).isNotNull();
    assertThat(up.to()).isEqualTo(7);
    assertThat(up.reason()).isEqualTo("3 → 7: 9.2 in flight per replica over 60 s, target 4");
  }

  @Test
  void loadWithinTheToleranceMovesNothing() {
    assertThat(feed(spec(1, 10), 3, 0, 400, 13.0, true)).isNull();
  }

  @Test
  void neverAboveMax() {
    Decision up = feed(spec(1, 4), 2, 0, 120, 100, true);
    assertThat(up.to()).isEqualTo(4);
  }

  @Test
  void scalesDownByThePeakOfTheDownWindowSoABurstKeepsTheReplicas() {
    AutoscaleSpec spec = spec(1, 10);
    for (int s = 0; s < 200; s++) {
      double load = s % 50 == 0 ? 15 : 1;  // a burst every 50 s
      assertThat(policy.observe("m", spec, 4, new Observation(T0.plusSeconds(s), load, 0, true))).isNull();
    }
    AutoscalePolicy quiet = new AutoscalePolicy();
    Decision down = null;
    for (int s = 0; s < 200 && down == null; s++) {
      down = quiet.observe("m", spec, 4, new Observation(T0.plusSeconds(s), 1, 0, true));
    }
    assertThat(down).isNotNull();
    assertThat(down.to()).isEqualTo(1);
    assertThat(down.reason()).startsWith("4 → 1: at most 1 in flight over 120 s");
  }

  @Test
  void toZeroAfterTheIdleTimeAndBackAtOnceWhenARequestWaits() {
    AutoscaleSpec spec = spec(0, 3);
    assertThat(feed(spec, 1, 0, 10, 0, true)).isNull();
    Decision idle = feed(spec, 1, 10, 400, 0, false);
    assertThat(idle).isNotNull();
    assertThat(idle.to()).isZero();
    assertThat(idle.reason()).isEqualTo("1 → 0: no request for 300 s");

    assertThat(policy.observe("m", spec, 0, new Observation(T0.plusSeconds(500), 0, 0, false))).isNull();
    Decision cold = policy.observe("m", spec, 0, new Observation(T0.plusSeconds(501), 0, 2, true));
    assertThat(cold.to()).isEqualTo(1);
    assertThat(cold.reason()).contains("waiting");
  }

  @Test
  void withMinOneItNeverGoesToZero() {
    assertThat(feed(spec(1, 3), 1, 0, 1000, 0, false)).isNull();
  }

  @Test
  void boundsAreChecked() {
    assertThat(AutoscaleSpec.problem(new JsonObject().put("min", 3).put("max", 2))).contains("at least autoscale.min");
    assertThat(AutoscaleSpec.problem(new JsonObject().put("min", 0).put("max", 0))).contains("at least 1");
    assertThat(AutoscaleSpec.problem(new JsonObject().put("min", 0).put("max", 2))).isNull();
  }

  @Test
  void anOpenScheduleWindowRaisesTheFloorAtOnce() {
    AutoscaleSpec business = spec(1, 10).withBounds(4, null);
    Decision raised = policy.observe("m", business, 1, new Observation(T0, 0, 0, false));
    assertThat(raised.to()).isEqualTo(4);
    assertThat(raised.reason()).isEqualTo("1 → 4: outside autoscale bounds 4..10");
  }

  @Test
  void scalesUpOnTheEnginesQueueWhenItAsksForMoreReplicasThanInFlight() {
    AutoscaleSpec spec = AutoscaleSpec.of(new JsonObject().put("autoscale", new JsonObject().put("min", 1).put("max", 10)
        .put("target_in_flight_per_replica", 100).put("target_queue", 2).put("scale_up_delay", 10).put("scale_down_delay", 60)));
    Decision up = null;
    for (int s = 0; s < 20 && up == null; s++) {
      up = policy.observe("m", spec, 2, new Observation(T0.plusSeconds(s), 8, 0, true, 12, Double.NaN));
    }
    assertThat(up).isNotNull();
    assertThat(up.to()).isEqualTo(6);
    assertThat(up.reason()).isEqualTo("2 → 6: 6.0 queued in the engine per replica over 10 s, target 2");
  }

  @Test
  void scalesUpOnKvCacheUseAndNotWhileItIsUnknown() {
    AutoscaleSpec spec = AutoscaleSpec.of(new JsonObject().put("autoscale", new JsonObject().put("min", 1).put("max", 10)
        .put("target_in_flight_per_replica", 100).put("target_kv_usage", 0.5).put("scale_up_delay", 10).put("scale_down_delay", 60)));
    for (int s = 0; s < 30; s++) {
      assertThat(policy.observe("unknown", spec, 2, new Observation(T0.plusSeconds(s), 1, 0, true, 0, Double.NaN))).isNull();
    }
    Decision up = null;
    for (int s = 0; s < 20 && up == null; s++) {
      up = policy.observe("m", spec, 2, new Observation(T0.plusSeconds(s), 1, 0, true, 0, 0.9));
    }
    assertThat(up.to()).isEqualTo(4);
    assertThat(up.reason()).startsWith("2 → 4: 0.9 KV cache use per replica over 10 s, target 0.5");
  }

  @Test
  void scalesDownOnlyAsFarAsEveryMetricAllows() {
    AutoscaleSpec spec = AutoscaleSpec.of(new JsonObject().put("autoscale", new JsonObject().put("min", 1).put("max", 10)
        .put("target_in_flight_per_replica", 4).put("target_queue", 1).put("scale_up_delay", 10).put("scale_down_delay", 30)));
    Decision down = null;
    for (int s = 0; s < 100 && down == null; s++) {
      down = policy.observe("m", spec, 6, new Observation(T0.plusSeconds(s), 2, 0, true, 3, Double.NaN));
    }
    assertThat(down).isNotNull();
    assertThat(down.to()).as("in flight alone would allow 1; the engines' queue of 3 needs 3").isEqualTo(3);
  }
}
