package dev.gantry.scheduler.placement;

import static dev.gantry.scheduler.placement.Fixtures.GIB;
import static dev.gantry.scheduler.placement.Fixtures.PLACEMENT;
import static dev.gantry.scheduler.placement.Fixtures.claim;
import static dev.gantry.scheduler.placement.Fixtures.cpuNode;
import static dev.gantry.scheduler.placement.Fixtures.gpu;
import static dev.gantry.scheduler.placement.Fixtures.gpuNode;
import static dev.gantry.scheduler.placement.Fixtures.pending;
import static dev.gantry.scheduler.placement.Fixtures.placed;
import static dev.gantry.scheduler.placement.Fixtures.replicas;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlacementStrategyTest {

  private static final List<NodeView> FOUR_NODES_TWO_DEVICES = List.of(
      gpuNode("n1", 2, 80), gpuNode("n2", 2, 80), gpuNode("n3", 2, 80), gpuNode("n4", 2, 80));

  @Test
  void spreadPutsOneReplicaOnEveryDeviceBeforeDoublingUp() {
    List<PlacementDecision> decisions = PLACEMENT.placeAll(FOUR_NODES_TWO_DEVICES, List.of(),
        replicas(gpu("x", 10, 1), "x", 8));

    assertThat(count(decisions, PlacementDecision.Placed::node)).containsOnly(
        Map.entry("n1", 2L), Map.entry("n2", 2L), Map.entry("n3", 2L), Map.entry("n4", 2L));
    assertThat(count(decisions, d -> d.deviceIds().get(0))).hasSize(8).allSatisfy((id, n) -> assertThat(n).isOne());
  }

  @Test
  void spreadGoesRoundTheNodesInNameOrder() {
    List<PlacementDecision> decisions = PLACEMENT.placeAll(FOUR_NODES_TWO_DEVICES, List.of(),
        replicas(gpu("x", 10, 1), "x", 5));

    assertThat(decisions).extracting(d -> placed(d).node()).containsExactly("n1", "n2", "n3", "n4", "n1");
    assertThat(placed(decisions.get(4)).deviceIds()).containsExactly("n1:cuda:1");
  }

  @Test
  void binpackFillsTheFirstDeviceThenTheFirstNodeBeforeTheNext() {
    List<PlacementDecision> decisions = PLACEMENT.placeAll(FOUR_NODES_TWO_DEVICES, List.of(),
        replicas(gpu("x", 20, 1).withStrategy(Strategy.BINPACK), "x", 9));

    assertThat(decisions).extracting(d -> placed(d).deviceIds().get(0)).containsExactly(
        "n1:cuda:0", "n1:cuda:0", "n1:cuda:0", "n1:cuda:0",
        "n1:cuda:1", "n1:cuda:1", "n1:cuda:1", "n1:cuda:1", "n2:cuda:0");
  }

  @Test
  void binpackPrefersTheFullestNodeThatStillFits() {
    List<Claim> claims = List.of(
        claim("a", "n2", 60, "n2:cuda:0", "n2:cuda:1"),
        claim("b", "n3", 70, "n3:cuda:0"));
    ReplicaRequest request = gpu("x", 10, 1).withStrategy(Strategy.BINPACK);

    PlacementDecision.Placed placed = placed(PLACEMENT.place(FOUR_NODES_TWO_DEVICES, claims, request));

    assertThat(placed.deviceIds()).containsExactly("n2:cuda:0");
  }

  @Test
  void binpackTakesTheTightestDevicesOfItsNode() {
    List<NodeView> nodes = List.of(gpuNode("n1", 4, 80));
    List<Claim> claims = List.of(claim("a", "n1", 30, "n1:cuda:1"), claim("b", "n1", 50, "n1:cuda:3"));
    ReplicaRequest request = gpu("x", 20, 2).withStrategy(Strategy.BINPACK);

    assertThat(placed(PLACEMENT.place(nodes, claims, request)).deviceIds()).containsExactly("n1:cuda:3", "n1:cuda:1");
  }

  @Test
  void spreadPrefersTheNodeWithFewestClaimsOverTheOneWithMostFree() {
    List<NodeView> nodes = List.of(gpuNode("n1", 2, 80), gpuNode("n2", 1, 80));
    List<Claim> claims = List.of(claim("a", "n1", 1, "n1:cuda:0"), claim("b", "n1", 1, "n1:cuda:1"),
        claim("c", "n2", 40, "n2:cuda:0"));
    List<Claim> moreOnN2 = List.of(claim("a", "n1", 1, "n1:cuda:0"),
        claim("c", "n2", 1, "n2:cuda:0"), claim("d", "n2", 1, "n2:cuda:0"));

    assertThat(placed(PLACEMENT.place(nodes, claims, gpu("x", 10, 1))).node()).isEqualTo("n2");
    assertThat(placed(PLACEMENT.place(nodes, moreOnN2, gpu("x", 10, 1))).node()).isEqualTo("n1");
  }

  @Test
  void spreadBreaksEqualClaimsByMostFreeMemory() {
    List<Claim> claims = List.of(claim("a", "n1", 40, "n1:cuda:0"), claim("b", "n2", 10, "n2:cuda:0"),
        claim("c", "n3", 30, "n3:cuda:0"), claim("d", "n4", 20, "n4:cuda:0"));

    assertThat(placed(PLACEMENT.place(FOUR_NODES_TWO_DEVICES, claims, gpu("x", 10, 1))).deviceIds())
        .containsExactly("n2:cuda:1");
  }

  @Test
  void spreadWithinANodeTakesTheDevicesWithFewestClaims() {
    List<NodeView> nodes = List.of(gpuNode("n1", 3, 80));
    List<Claim> claims = List.of(claim("a", "n1", 5, "n1:cuda:0"), claim("b", "n1", 5, "n1:cuda:0"),
        claim("c", "n1", 50, "n1:cuda:1"));

    assertThat(placed(PLACEMENT.place(nodes, claims, gpu("x", 10, 2))).deviceIds())
        .containsExactly("n1:cuda:2", "n1:cuda:1");
  }

  @Test
  void tiesGoToTheFirstDeviceByNumberNotByText() {
    List<NodeView> nodes = List.of(gpuNode("n1", 12, 80));
    List<Claim> claims = java.util.stream.IntStream.range(0, 12)
        .filter(i -> i != 2 && i != 10)
        .mapToObj(i -> claim("c" + i, "n1", 10, "n1:cuda:" + i))
        .toList();

    assertThat(placed(PLACEMENT.place(nodes, claims, gpu("x", 10, 1))).deviceIds()).containsExactly("n1:cuda:2");
  }

  @Test
  void binpackTiesGoToTheFirstNodeByName() {
    List<NodeView> nodes = List.of(gpuNode("b", 1, 80), gpuNode("a", 1, 80), gpuNode("c", 1, 80));

    PlacementDecision decision = PLACEMENT.place(nodes, List.of(), gpu("x", 10, 1).withStrategy(Strategy.BINPACK));

    assertThat(placed(decision).node()).isEqualTo("a");
  }

  @Test
  void cpuReplicasArePlacedByRamAndGetNoDevices() {
    List<NodeView> nodes = List.of(gpuNode("g1", 8, 80), cpuNode("c1", 16, 64));
    ReplicaRequest request = ReplicaRequest.cpu("minilm", "m-0", 200 * GIB, 4);

    PlacementDecision.Placed placed = placed(PLACEMENT.place(nodes, List.of(), request));

    assertThat(placed.claim()).isEqualTo(new Claim("m-0", "g1", List.of(), 0, 200 * GIB, 4));
  }

  @Test
  void aBackendOnCpuIgnoresTheDevicesItWouldOtherwiseAskFor() {
    ReplicaRequest onCpu = new ReplicaRequest("llama", "l-0", 100 * GIB, 8 * GIB, 1, null, null,
        Strategy.SPREAD, true, 2);

    PlacementDecision.Placed placed = placed(PLACEMENT.place(List.of(cpuNode("c1", 8, 32)), List.of(), onCpu));

    assertThat(placed.claim()).isEqualTo(new Claim("l-0", "c1", List.of(), 0, 8 * GIB, 2));
  }

  @Test
  void cpuSpreadBalancesClaimsAndCpuBinpackFillsTheTightestNode() {
    List<NodeView> nodes = List.of(cpuNode("c1", 64, 64), cpuNode("c2", 64, 32), cpuNode("c3", 64, 48));
    ReplicaRequest request = ReplicaRequest.cpu("minilm", "m", 4 * GIB, 1);

    List<PlacementDecision> spread = PLACEMENT.placeAll(nodes, List.of(), replicas(request, "s", 4));
    List<PlacementDecision> binpack = PLACEMENT.placeAll(nodes, List.of(),
        replicas(request.withStrategy(Strategy.BINPACK), "b", 4));

    assertThat(spread).extracting(d -> placed(d).node()).containsExactly("c1", "c3", "c2", "c1");
    assertThat(binpack).extracting(d -> placed(d).node()).containsExactly("c2", "c2", "c2", "c2");
  }

  @Test
  void cpuReplicasStopWhenRamOrCoresRunOut() {
    List<PlacementDecision> decisions = PLACEMENT.placeAll(List.of(cpuNode("c1", 8, 32)), List.of(),
        List.of(ReplicaRequest.cpu("m", "a", 20 * GIB, 2), ReplicaRequest.cpu("m", "b", 20 * GIB, 2),
            ReplicaRequest.cpu("m", "c", 1 * GIB, 8)));

    assertThat(placed(decisions.get(0)).node()).isEqualTo("c1");
    assertThat(pending(decisions.get(1))).isEqualTo("1 node: c1 needs 20.0 GiB RAM, free is 12.0 GiB");
    assertThat(pending(decisions.get(2))).isEqualTo("1 node: c1 needs 8 CPU cores, free is 6");
  }

  @Test
  void theRamReserveIsKeptFreeOnEveryNode() {
    Placement reserving = new Placement(PlacementConfig.defaults());

    String message = pending(reserving.place(List.of(cpuNode("c1", 8, 32)), List.of(),
        ReplicaRequest.cpu("m", "a", 31 * GIB, 1)));

    assertThat(message).isEqualTo("1 node: c1 needs 31.0 GiB RAM, free is 30.0 GiB");
  }

  private static Map<String, Long> count(List<PlacementDecision> decisions,
      Function<PlacementDecision.Placed, String> key) {
    return decisions.stream().map(Fixtures::placed)
        .collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
  }
}
