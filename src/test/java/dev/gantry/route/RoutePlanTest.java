package dev.gantry.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutePlanTest {

  private static final Target A = new Target("a", null, 3);
  private static final Target B = new Target("b", null, 1);
  private static final Target ZERO = new Target("z", null, 0);
  private static final Target EXTERNAL = new Target("gpt-4o", "openai", 1);

  private static Route route(List<Target> targets, List<Target> fallbacks) {
    return new Route("r", targets, fallbacks, FallbackOn.DEFAULT);
  }

  @Test
  void picksInProportionToTheWeights() {
    Route route = route(List.of(A, B), List.of());
    assertThat(RoutePlan.of(route, t -> true, 0.0)).containsExactly(A);
    assertThat(RoutePlan.of(route, t -> true, 0.74)).containsExactly(A);
    assertThat(RoutePlan.of(route, t -> true, 0.75)).containsExactly(B);
    assertThat(RoutePlan.of(route, t -> true, 0.999)).containsExactly(B);
  }

  @Test
  void aTargetOfWeightZeroIsNeverPickedFirst() {
    Route route = route(List.of(ZERO, B), List.of());
    for (double draw : new double[] {0, 0.3, 0.99}) {
      assertThat(RoutePlan.of(route, t -> true, draw)).containsExactly(B);
    }
  }

  @Test
  void picksAmongTheTargetsThatCanAnswerNow() {
    Route route = route(List.of(A, B), List.of());
    assertThat(RoutePlan.of(route, t -> t == B, 0.0)).containsExactly(B);
  }

  @Test
  void whenNoTargetCanAnswerOneIsStillPickedSoTheFailureNamesIt() {
    Route route = route(List.of(A, B), List.of(EXTERNAL));
    assertThat(RoutePlan.of(route, t -> false, 0.0)).containsExactly(A, EXTERNAL);
  }

  @Test
  void fallbacksFollowInTheirOrderWithoutTheTargetPickedFirst() {
    Route route = route(List.of(A), List.of(EXTERNAL, A, B));
    assertThat(RoutePlan.of(route, t -> true, 0.5)).containsExactly(A, EXTERNAL, B);
  }

  @Test
  void theDrawSpreadsRequestsByWeight() {
    Route route = route(List.of(A, B), List.of());
    int a = 0;
    for (int i = 0; i < 1000; i++) {
      a += RoutePlan.of(route, t -> true, i / 1000.0).get(0) == A ? 1 : 0;
    }
    assertThat(a).isEqualTo(750);
    assertThat(Set.of(A.name(), EXTERNAL.name())).containsExactlyInAnyOrder("a", "openai/gpt-4o");
  }

  @Test
  void triggersFollowTheRouteSettingsAndDeadlinesAlwaysFallBack() {
    FallbackOn onlyConnect = new FallbackOn(true, false, false, 0, 0);
    assertThat(onlyConnect.fallsBackOn(FallbackOn.Trigger.CONNECT_ERROR)).isTrue();
    assertThat(onlyConnect.fallsBackOn(FallbackOn.Trigger.SERVER_ERROR)).isFalse();
    assertThat(onlyConnect.fallsBackOn(FallbackOn.Trigger.RATE_LIMITED)).isFalse();
    assertThat(onlyConnect.fallsBackOn(FallbackOn.Trigger.DEADLINE)).isTrue();
    assertThat(onlyConnect.fallsBackOn(FallbackOn.Trigger.UNAVAILABLE)).isTrue();
  }
}
