package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InstancePickerTest {

  private final Upstream a = upstream("a");
  private final Upstream b = upstream("b");
  private final Upstream c = upstream("c");

  @Test
  void picksTheInstanceWithTheFewestOutstandingRequests() {
    Map<String, Integer> load = Map.of("a", 3, "b", 1, "c", 2);

    assertThat(InstancePicker.pick(List.of(a, b, c), Set.of(), load::get, new Random(1))).isEqualTo(b);
  }

  @Test
  void skipsInstancesAlreadyTried() {
    Map<String, Integer> load = Map.of("a", 3, "b", 1, "c", 2);

    assertThat(InstancePicker.pick(List.of(a, b, c), Set.of("b"), load::get, new Random(1))).isEqualTo(c);
    assertThat(InstancePicker.pick(List.of(a, b, c), Set.of("a", "b", "c"), load::get, new Random(1))).isNull();
    assertThat(InstancePicker.pick(List.of(), Set.of(), id -> 0, new Random(1))).isNull();
  }

  @Test
  void breaksTiesAtRandomAndEvenly() {
    Map<Upstream, Integer> picks = new HashMap<>();
    Random random = new Random(42);
    for (int i = 0; i < 3_000; i++) {
      picks.merge(InstancePicker.pick(List.of(a, b, c), Set.of(), id -> id.equals("c") ? 1 : 0, random), 1, Integer::sum);
    }

    assertThat(picks).containsOnlyKeys(a, b);
    assertThat(picks.get(a)).isBetween(1_350, 1_650);
  }

  @Test
  void betweenEqualLoadsPrefersTheEmptierKvCache() {
    Map<String, Double> kv = Map.of("a", 0.9, "b", 0.2, "c", 0.5);

    for (int seed = 0; seed < 20; seed++) {
      assertThat(InstancePicker.pick(List.of(a, b, c), Set.of(), id -> 1, kv::get, new Random(seed))).isEqualTo(b);
    }
    assertThat(InstancePicker.pick(List.of(a, b, c), Set.of(), id -> id.equals("a") ? 0 : 1, kv::get, new Random(1)))
        .as("fewer requests still wins over an emptier cache").isEqualTo(a);
  }

  @Test
  void requestsWaitingInTheEngineCountAsLoad() {
    EngineQueues.Reading queued = EngineQueues.decode(
        "{\"model\":\"m\",\"requests_waiting\":3.0,\"kv_cache_usage_ratio\":0.97,\"at\":1000}");
    assertThat(queued.waiting()).isEqualTo(3.0);
    assertThat(queued.kvUsage()).isEqualTo(0.97);
    assertThat(EngineQueues.decode("not json").waiting()).isZero();
    Map<String, Integer> inFlight = Map.of("a", 1, "b", 2);
    Map<String, Integer> waiting = Map.of("a", 3, "b", 0);

    assertThat(InstancePicker.pick(List.of(a, b), Set.of(), id -> inFlight.get(id) + waiting.get(id), id -> 0,
        new Random(1))).as("a has fewer in flight but three waiting in its engine").isEqualTo(b);
  }

  private static Upstream upstream(String id) {
    return new Upstream(id, "m-" + id, "m", "n1", "127.0.0.1", 1, 8080, "Bearer s");
  }
}
