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
    void theCountsAreOrderedByHowManyNodesEachReasonHas() {
        List<Rejection> rejections = List.of(
                rejection("a", Rejection.Reason.LABEL),
                rejection("b", Rejection.Reason.NOT_READY),
                rejection("c", Rejection.Reason.NOT_READY),
                rejection("d", Rejection.Reason.MAINTENANCE),
                rejection("e", Rejection.Reason.LABEL),
                rejection("f", Rejection.Reason.NOT_READY));

        assertThat(PendingMessage.render(rejections, 2)).isEqualTo(
                "6 nodes: a label; e label; and 4 more nodes: not ready (3), in maintenance (1)");
    }

    @Test
    void exactlyTheLimitIsNamedInFullAndOneMoreIsCounted() {
        List<Rejection> three = List.of(rejection("a", Rejection.Reason.CPU), rejection("b", Rejection.Reason.RAM),
                rejection("c", Rejection.Reason.NOT_READY));

        assertThat(PendingMessage.render(three, 3)).isEqualTo("3 nodes: a cpu; b ram; c not_ready");
        assertThat(PendingMessage.render(three, 2)).isEqualTo("3 nodes: a cpu; b ram; and 1 more node: not ready (1)");
    }

    @Test
    void oneNodeIsSingular() {
        assertThat(PendingMessage.render(List.of(rejection("a", Rejection.Reason.UNREACHABLE)), 5))
                .isEqualTo("1 node: a unreachable");
    }

    @Test
    void bytesReadAsGibMibOrBytes() {
        assertThat(Rejection.bytes(14 * GIB + GIB / 5)).isEqualTo("14.2 GiB");
        assertThat(Rejection.bytes(GIB)).isEqualTo("1.0 GiB");
        assertThat(Rejection.bytes(512L << 20)).isEqualTo("512 MiB");
        assertThat(Rejection.bytes(1000)).isEqualTo("1000 bytes");
        assertThat(Rejection.bytes(-5 * GIB)).isEqualTo("0 bytes");
    }

    private static Rejection rejection(String node, Rejection.Reason reason) {
        return new Rejection(node, reason, node + " " + reason.name().toLowerCase(java.util.Locale.ROOT));
    }
}
