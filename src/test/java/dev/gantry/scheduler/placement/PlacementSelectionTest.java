package dev.gantry.scheduler.placement;

import static dev.gantry.scheduler.placement.Fixtures.PLACEMENT;
import static dev.gantry.scheduler.placement.Fixtures.claim;
import static dev.gantry.scheduler.placement.Fixtures.gpu;
import static dev.gantry.scheduler.placement.Fixtures.gpuNode;
import static dev.gantry.scheduler.placement.Fixtures.node;
import static dev.gantry.scheduler.placement.Fixtures.pending;
import static dev.gantry.scheduler.placement.Fixtures.placed;
import static dev.gantry.scheduler.placement.Fixtures.replicas;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementSelectionTest {

  private static final List<NodeView> LABELLED = List.of(
      node("n1", NodeState.READY, Map.of("gpu", "t4", "zone", "a"), 2, 16),
      node("n2", NodeState.READY, Map.of("gpu", "a100", "zone", "b"), 2, 80),
      node("n3", NodeState.READY, Map.of("gpu", "a100", "zone", "a"), 2, 80),
      node("n4", NodeState.READY, Map.of(), 2, 80));

  @Test
  void aNodeSelectorKeepsReplicasOnMatchingNodes() {
    ReplicaRequest request = gpu("x", 10, 1).withNodeSelector(Map.of("gpu", "a100"));

    List<PlacementDecision> decisions = PLACEMENT.placeAll(LABELLED, List.of(), replicas(request, "x", 6));

    assertThat(decisions).extracting(d -> placed(d).node()).containsOnly("n2", "n3");
  }

  @Test
  void everyLabelOfTheSelectorMustMatch() {
    ReplicaRequest request = gpu("x", 10, 1).withNodeSelector(Map.of("gpu", "a100", "zone", "a"));

    assertThat(placed(PLACEMENT.place(LABELLED, List.of(), request)).node()).isEqualTo("n3");
  }

  @Test
  void theMessageNamesTheFirstLabelThatDoesNotMatchInKeyOrder() {
    ReplicaRequest request = gpu("x", 10, 1).withNodeSelector(Map.of("zone", "c", "gpu", "a100"));

    String message = pending(PLACEMENT.place(LABELLED, List.of(), request));

    assertThat(message).isEqualTo("4 nodes: n1 label gpu=a100 does not match; n2 label zone=c does not match; "
        + "n3 label zone=c does not match; n4 label gpu=a100 does not match");
  }

  @Test
  void explicitDevicesAreTheOnlyOnesUsed() {
    ReplicaRequest request = gpu("x", 10, 1).withDeviceIds(List.of("n3:cuda:1"));

    List<PlacementDecision> decisions = PLACEMENT.placeAll(LABELLED, List.of(), replicas(request, "x", 3));

    assertThat(decisions).extracting(d -> placed(d).deviceIds()).containsOnly(List.of("n3:cuda:1"));
  }

  @Test
  void explicitDevicesOfSeveralNodesStillPlaceEachReplicaOnOneNode() {
    List<NodeView> nodes = List.of(gpuNode("n1", 4, 80), gpuNode("n2", 4, 80));
    ReplicaRequest request = gpu("x", 10, 2).withDeviceIds(List.of("n1:cuda:3", "n2:cuda:0", "n2:cuda:2"));

    assertThat(placed(PLACEMENT.place(nodes, List.of(), request)).deviceIds()).containsExactly("n2:cuda:0", "n2:cuda:2");
  }

  @Test
  void explicitDevicesThatAreFullLeaveTheReplicaPendingAndSayWhy() {
    List<NodeView> nodes = List.of(gpuNode("n1", 4, 80), gpuNode("n2", 4, 80));
    List<Claim> claims = List.of(claim("a", "n2", 75, "n2:cuda:1"));
    ReplicaRequest request = gpu("x", 10, 1).withDeviceIds(List.of("n2:cuda:1"));

    String message = pending(PLACEMENT.place(nodes, claims, request));

    assertThat(message).isEqualTo("2 nodes: n1 has none of the selected devices; "
        + "n2 needs 10.0 GiB on one device, largest free is 5.0 GiB");
  }

  @Test
  void tooFewSelectedDevicesOnANodeIsSaidAsSuch() {
    List<NodeView> nodes = List.of(gpuNode("n1", 4, 80));
    ReplicaRequest request = gpu("x", 10, 2).withDeviceIds(List.of("n1:cuda:0"));

    assertThat(pending(PLACEMENT.place(nodes, List.of(), request)))
        .isEqualTo("1 node: n1 has 1 of the selected devices, needs 2");
  }

  @Test
  void unknownExplicitDevicesMatchNoNode() {
    ReplicaRequest request = gpu("x", 10, 1).withDeviceIds(List.of("n9:cuda:0"));

    assertThat(pending(PLACEMENT.place(List.of(gpuNode("n1", 1, 80)), List.of(), request)))
        .isEqualTo("1 node: n1 has none of the selected devices");
  }

  @Test
  void explicitDevicesStillRespectTheNodeState() {
    List<NodeView> nodes = List.of(node("n1", NodeState.MAINTENANCE, Map.of(), 1, 80));
    ReplicaRequest request = gpu("x", 10, 1).withDeviceIds(List.of("n1:cuda:0"));

    assertThat(pending(PLACEMENT.place(nodes, List.of(), request))).isEqualTo("1 node: n1 in maintenance");
  }

  @Test
  void aRequestCannotSelectDevicesAndRunOnCpu() {
    assertThatThrownBy(() -> ReplicaRequest.cpu("m", "a", 1, 1).withDeviceIds(List.of("n1:cuda:0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("runs on CPU only");
  }

  @Test
  void negativeNeedsAreRejected() {
    assertThatThrownBy(() -> ReplicaRequest.devices("m", "a", -1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aNodeListedTwiceIsAnError() {
    List<NodeView> nodes = List.of(gpuNode("n1", 1, 80), gpuNode("n1", 1, 80));

    assertThatThrownBy(() -> PLACEMENT.place(nodes, List.of(), gpu("x", 1, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("node n1 is listed twice");
  }

  @Test
  void statesAndStrategiesReadTheirWireNames() {
    assertThat(NodeState.of("not_ready")).isEqualTo(NodeState.NOT_READY);
    assertThat(NodeState.MAINTENANCE.wireName()).isEqualTo("maintenance");
    assertThat(Strategy.of("binpack")).isEqualTo(Strategy.BINPACK);
    assertThat(Strategy.SPREAD.wireName()).isEqualTo("spread");
    assertThatThrownBy(() -> NodeState.of("gone")).hasMessageContaining("unknown node state 'gone'");
    assertThatThrownBy(() -> Strategy.of("random")).hasMessageContaining("expected spread or binpack");
  }
}
