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

  private static Upstream upstream(String id) {
    return new Upstream(id, "m-" + id, "m", "n1", "127.0.0.1", 1, 8080, "Bearer s");
  }
}
