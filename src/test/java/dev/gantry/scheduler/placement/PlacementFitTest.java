package dev.gantry.scheduler.placement;

import static dev.gantry.scheduler.placement.Fixtures.GIB;
import static dev.gantry.scheduler.placement.Fixtures.PLACEMENT;
import static dev.gantry.scheduler.placement.Fixtures.claim;
import static dev.gantry.scheduler.placement.Fixtures.cpuNode;
import static dev.gantry.scheduler.placement.Fixtures.gib;
import static dev.gantry.scheduler.placement.Fixtures.gpu;
import static dev.gantry.scheduler.placement.Fixtures.gpuNode;
import static dev.gantry.scheduler.placement.Fixtures.node;
import static dev.gantry.scheduler.placement.Fixtures.pending;
import static dev.gantry.scheduler.placement.Fixtures.placed;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementFitTest {

  @Test
  void placesASingleDeviceReplicaOnAReadyNodeAndClaimsWhatItAsked() {
    ReplicaRequest request = gpu("qwen-0", 14.2, 1).withRam(8 * GIB);

    PlacementDecision.Placed placed = placed(PLACEMENT.place(List.of(gpuNode("n1", 1, 80)), List.of(), request));

    assertThat(placed.instanceId()).isEqualTo("qwen-0");
    assertThat(placed.node()).isEqualTo("n1");
    assertThat(placed.deviceIds()).containsExactly("n1:cuda:0");
    assertThat(placed.claim()).isEqualTo(new Claim("qwen-0", "n1", List.of("n1:cuda:0"), gib(14.2), 8 * GIB, 0));
  }

  @Test
  void aReplicaFillsADeviceExactly() {
    PlacementDecision decision = PLACEMENT.place(List.of(gpuNode("n1", 1, 80)), List.of(), gpu("a", 80, 1));

    assertThat(placed(decision).deviceIds()).containsExactly("n1:cuda:0");
  }

  @Test
  void existingClaimsNotLiveUsageDecideWhatIsFree() {
    List<Claim> claims = List.of(claim("old", "n1", 70, "n1:cuda:0"));

    PlacementDecision decision = PLACEMENT.place(List.of(gpuNode("n1", 2, 80)), claims, gpu("new", 14.2, 1));

    assertThat(placed(decision).deviceIds()).containsExactly("n1:cuda:1");
  }

  @Test
  void saysNodeByNodeWhyNothingFitsAsTheDesignShowsIt() {
    List<NodeView> nodes = List.of(
        node("n1", NodeState.NOT_READY, Map.of(), 8, 80),
        node("n2", NodeState.READY, Map.of("gpu", "a100"), 1, 9.8),
        node("n3", NodeState.READY, Map.of("gpu", "t4"), 1, 80));
    ReplicaRequest request = gpu("a", 14.2, 1).withNodeSelector(Map.of("gpu", "a100"));

    String message = pending(PLACEMENT.place(nodes, List.of(), request));

    assertThat(message).isEqualTo("3 nodes: n1 not ready; n2 needs 14.2 GiB on one device, largest free is "
        + "9.8 GiB; n3 label gpu=a100 does not match");
  }

  @Test
  void listsReasonsInNodeNameOrderWhateverTheInputOrder() {
    List<NodeView> nodes = List.of(
        node("c", NodeState.MAINTENANCE, Map.of(), 1, 80),
        node("a", NodeState.UNREACHABLE, Map.of(), 1, 80),
        node("b", NodeState.NOT_READY, Map.of(), 1, 80));

    String message = pending(PLACEMENT.place(nodes, List.of(), gpu("x", 1, 1)));

    assertThat(message).isEqualTo("3 nodes: a unreachable; b not ready; c in maintenance");
  }

  @Test
  void saysSoWhenThereAreNoNodes() {
    assertThat(pending(PLACEMENT.place(List.of(), List.of(), gpu("x", 1, 1)))).isEqualTo("no nodes in the cluster");
  }

  @Test
  void aNodeInMaintenanceTakesNothingEvenWhenEmpty() {
    List<NodeView> nodes = List.of(node("n1", NodeState.MAINTENANCE, Map.of(), 8, 80), gpuNode("n2", 1, 80));

    assertThat(placed(PLACEMENT.place(nodes, List.of(), gpu("x", 1, 1))).node()).isEqualTo("n2");
  }

  @Test
  void aDeviceReplicaNeedsAnAccelerator() {
    String message = pending(PLACEMENT.place(List.of(cpuNode("c1", 32, 128)), List.of(), gpu("x", 1, 1)));

    assertThat(message).isEqualTo("1 node: c1 has no accelerator");
  }

  @Test
  void multiDeviceReplicasStayOnOneNode() {
    List<NodeView> nodes = List.of(gpuNode("n1", 8, 80));

    PlacementDecision.Placed placed = placed(PLACEMENT.place(nodes, List.of(), gpu("tp4", 60, 4)));

    assertThat(placed.deviceIds()).hasSize(4).doesNotHaveDuplicates().allMatch(id -> id.startsWith("n1:"));
  }

  @Test
  void multiDeviceReplicasAreNotSplitAcrossNodes() {
    List<NodeView> nodes = List.of(gpuNode("n1", 2, 80), gpuNode("n2", 2, 80));

    String message = pending(PLACEMENT.place(nodes, List.of(), gpu("tp4", 60, 4)));

    assertThat(message).isEqualTo("2 nodes: n1 has 2 devices, needs 4; n2 has 2 devices, needs 4");
  }

  @Test
  void multiDeviceMessageSaysHowManyDevicesHaveEnoughFree() {
    List<NodeView> nodes = List.of(gpuNode("n1", 4, 80), gpuNode("n2", 2, 80));
    List<Claim> claims = List.of(
        claim("c1", "n1", 50, "n1:cuda:0", "n1:cuda:1", "n1:cuda:2"),
        claim("c2", "n2", 50, "n2:cuda:0", "n2:cuda:1"));

    String message = pending(PLACEMENT.place(nodes, claims, gpu("tp2", 40, 2)));

    assertThat(message).isEqualTo("2 nodes: n1 needs 40.0 GiB on each of 2 devices, only 1 has that free; "
        + "n2 needs 40.0 GiB on each of 2 devices, largest free is 30.0 GiB");
  }

  @Test
  void deviceReplicasAlsoNeedTheirRamOnTheNode() {
    NodeView small = new NodeView("n1", NodeState.READY, Map.of(), 8, 16 * GIB,
        List.of(new DeviceView("n1:cuda:0", "cuda", "NVIDIA L4", 24 * GIB)));

    String message = pending(PLACEMENT.place(List.of(small), List.of(), gpu("x", 10, 1).withRam(32 * GIB)));

    assertThat(message).isEqualTo("1 node: n1 needs 32.0 GiB RAM, free is 16.0 GiB");
  }

  @Test
  void theDeviceMemoryReserveIsKeptFree() {
    Placement reserving = new Placement(new PlacementConfig(0, 2 * GIB, 5));

    String message = pending(reserving.place(List.of(gpuNode("n1", 1, 80)), List.of(), gpu("x", 79, 1)));

    assertThat(message).isEqualTo("1 node: n1 needs 79.0 GiB on one device, largest free is 78.0 GiB");
  }

  @Test
  void claimsOnUnknownNodesOrDevicesAreStaleAndIgnored() {
    List<Claim> claims = List.of(claim("gone", "n9", 80, "n9:cuda:0"), claim("odd", "n1", 80, "n2:cuda:0"));

    PlacementDecision decision = PLACEMENT.place(List.of(gpuNode("n1", 1, 80)), claims, gpu("x", 80, 1));

    assertThat(placed(decision).node()).isEqualTo("n1");
  }

  @Test
  void placeAllNeverOversubscribesADevice() {
    List<NodeView> nodes = List.of(gpuNode("n1", 2, 80));

    List<PlacementDecision> decisions = PLACEMENT.placeAll(nodes, List.of(),
        Fixtures.replicas(gpu("x", 30, 1), "x", 10));

    assertThat(decisions).filteredOn(d -> d instanceof PlacementDecision.Placed).hasSize(4);
    assertThat(decisions.subList(4, 10)).allSatisfy(d -> assertThat(pending(d))
        .isEqualTo("1 node: n1 needs 30.0 GiB on one device, largest free is 20.0 GiB"));
    assertThat(decisions.subList(0, 4)).extracting(d -> placed(d).deviceIds().get(0))
        .containsExactlyInAnyOrder("n1:cuda:0", "n1:cuda:0", "n1:cuda:1", "n1:cuda:1");
  }

  @Test
  void placeAllCountsEarlierPlacementsOfTheSameCallAndTheGivenClaims() {
    List<NodeView> nodes = List.of(gpuNode("n1", 1, 80), gpuNode("n2", 1, 80));
    List<Claim> claims = List.of(claim("old", "n1", 60, "n1:cuda:0"));

    List<PlacementDecision> decisions = PLACEMENT.placeAll(nodes, claims,
        List.of(gpu("a", 50, 1), gpu("b", 30, 1), gpu("c", 20, 1), gpu("d", 21, 1)));

    assertThat(decisions).extracting(PlacementDecision::instanceId).containsExactly("a", "b", "c", "d");
    assertThat(placed(decisions.get(0)).node()).isEqualTo("n2");
    assertThat(placed(decisions.get(1)).node()).isEqualTo("n2");
    assertThat(placed(decisions.get(2)).node()).isEqualTo("n1");
    assertThat(pending(decisions.get(3))).isEqualTo("2 nodes: n1 needs 21.0 GiB on one device, largest free is "
        + "0 bytes; n2 needs 21.0 GiB on one device, largest free is 0 bytes");
  }

  @Test
  void theSameInputAlwaysGivesTheSameDecisions() {
    List<NodeView> nodes = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      nodes.add(gpuNode("n" + i, 4, 80));
    }
    List<ReplicaRequest> requests = Fixtures.replicas(gpu("x", 25, 1), "x", 200);
    List<NodeView> shuffled = new java.util.ArrayList<>(nodes);
    java.util.Collections.shuffle(shuffled, new java.util.Random(7));

    assertThat(PLACEMENT.placeAll(shuffled, List.of(), requests))
        .isEqualTo(PLACEMENT.placeAll(nodes, List.of(), requests));
  }
}
