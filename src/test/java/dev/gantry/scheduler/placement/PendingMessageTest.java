package dev.gantry.scheduler.placement;

import static dev.gantry.scheduler.placement.Fixtures.GIB;
import static dev.gantry.scheduler.placement.Fixtures.gpu;
import static dev.gantry.scheduler.placement.Fixtures.node;
import static dev.gantry.scheduler.placement.Fixtures.pending;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PendingMessageTest {

  @Test
  void manyNodesAreSummarisedNamingTheClosestFirstAndCountingTheRest() {
    List<NodeView> nodes = new ArrayList<>();
    for (int i = 0; i < 990; i++) {
      nodes.add(node(String.format("n%04d", i), NodeState.NOT_READY, Map.of(), 8, 80));
    }
    for (int i = 990; i < 995; i++) {
      nodes.add(node(String.format("n%04d", i), NodeState.READY, Map.of("gpu", "t4"), 1, 80));
    }
    for (int i = 995; i < 1000; i++) {
      nodes.add(node(String.format("n%04d", i), NodeState.READY, Map.of("gpu", "h100"), 1, 9.8));
    }

    String message = pending(Fixtures.PLACEMENT.place(nodes, List.of(),
        gpu("x", 14.2, 1).withNodeSelector(Map.of("gpu", "h100"))));

    assertThat(message).isEqualTo("1000 nodes: n0995 needs 14.2 GiB on one device, largest free is 9.8 GiB; "
        + "n0996 needs 14.2 GiB on one device, largest free is 9.8 GiB; "
        + "n0997 needs 14.2 GiB on one device, largest free is 9.8 GiB; "
        + "n0998 needs 14.2 GiB on one device, largest free is 9.8 GiB; "
        + "n0999 needs 14.2 GiB on one device, largest free is 9.8 GiB; "
        + "and 995 more nodes: not ready (990), label mismatch (5)");
  }

  @Test
  void theCountsAreOrderedByHowManyNodesEachReasonHasThenByName() {
    Reason[] reasons = {Reason.LABEL, Reason.NOT_READY, Reason.NOT_READY, Reason.MAINTENANCE, Reason.LABEL,
      Reason.NOT_READY, Reason.UNREACHABLE};

    assertThat(PendingMessage.render(reasons, 2, describe(reasons))).isEqualTo(
        "7 nodes: n0 label mismatch; n4 label mismatch; "
            + "and 5 more nodes: not ready (3), in maintenance (1), unreachable (1)");
  }

  @Test
  void capacityReasonsAreNamedBeforeDeviceLabelAndStateOnes() {
    Reason[] reasons = {Reason.NOT_READY, Reason.LABEL, Reason.TOO_FEW_DEVICES, Reason.RAM, Reason.NOT_READY};

    assertThat(PendingMessage.render(reasons, 3, describe(reasons))).isEqualTo(
        "5 nodes: n3 insufficient RAM; n2 too few devices; n1 label mismatch; "
            + "and 2 more nodes: not ready (2)");
  }

  @Test
  void exactlyTheLimitIsNamedInFullAndOneMoreIsCounted() {
    Reason[] three = {Reason.CPU, Reason.RAM, Reason.NOT_READY};

    assertThat(PendingMessage.render(three, 3, describe(three)))
        .isEqualTo("3 nodes: n0 insufficient CPU; n1 insufficient RAM; n2 not ready");
    assertThat(PendingMessage.render(three, 2, describe(three)))
        .isEqualTo("3 nodes: n0 insufficient CPU; n1 insufficient RAM; and 1 more node: not ready (1)");
  }

  @Test
  void oneNodeIsSingular() {
    assertThat(PendingMessage.render(new Reason[] {Reason.UNREACHABLE}, 5, i -> "a unreachable"))
        .isEqualTo("1 node: a unreachable");
  }

  @Test
  void onlyTheNamedNodesAreDescribed() {
    Reason[] reasons = new Reason[1000];
    java.util.Arrays.fill(reasons, Reason.NOT_READY);
    java.util.Set<Integer> described = new java.util.HashSet<>();

    PendingMessage.render(reasons, 5, i -> {
      described.add(i);
      return "n" + i;
    });

    assertThat(described).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
  }

  @Test
  void bytesReadAsGibMibOrBytes() {
    assertThat(PendingMessage.bytes(14 * GIB + GIB / 5)).isEqualTo("14.2 GiB");
    assertThat(PendingMessage.bytes(GIB)).isEqualTo("1.0 GiB");
    assertThat(PendingMessage.bytes(512L << 20)).isEqualTo("512 MiB");
    assertThat(PendingMessage.bytes(1000)).isEqualTo("1000 bytes");
    assertThat(PendingMessage.bytes(-5 * GIB)).isEqualTo("0 bytes");
  }

  private static java.util.function.IntFunction<String> describe(Reason[] reasons) {
    return position -> "n" + position + " " + reasons[position].category;
  }
}
