package dev.gantry.scheduler.placement;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Renders the node-by-node reasons a replica stays pending (DESIGN.md §5), e.g.
 * {@code 3 nodes: n1 not ready; n2 needs 14.2 GiB on one device, largest free is 9.8 GiB; n3 label
 * gpu=a100 does not match}.
 *
 * <p>Up to {@code maxReasons} nodes are named in name order. Beyond that the nodes that came
 * closest to fitting are named first (capacity, then devices, then labels, then state), since those
 * are what a person can act on, and the rest are counted by reason:
 * {@code ...; and 995 more nodes: not ready (990), insufficient device memory (5)}.
 */
final class PendingMessage {

    private static final Comparator<Rejection> CLOSEST_FIRST = Comparator
            .comparingInt((Rejection r) -> -r.reason().stage)
            .thenComparing(Rejection::node);

    private PendingMessage() {
    }

    /** {@code rejections} holds one entry per node, in node name order. */
    static String render(List<Rejection> rejections, int maxReasons) {
        int total = rejections.size();
        if (total == 0) {
            return "no nodes in the cluster";
        }
        String header = nodes(total) + ": ";
        if (total <= maxReasons) {
            return header + rejections.stream().map(Rejection::text).collect(Collectors.joining("; "));
        }
        List<Rejection> ordered = rejections.stream().sorted(CLOSEST_FIRST).toList();
        String named = ordered.subList(0, maxReasons).stream()
                .map(Rejection::text)
                .collect(Collectors.joining("; "));
        List<Rejection> rest = ordered.subList(maxReasons, total);
        return header + named + "; and " + (total - maxReasons) + " more " + (rest.size() == 1 ? "node" : "nodes")
                + ": " + countByCategory(rest);
    }

    private static String countByCategory(List<Rejection> rest) {
        Map<String, Long> counts = rest.stream().collect(
                Collectors.groupingBy(r -> r.reason().category, TreeMap::new, Collectors.counting()));
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getKey() + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", "));
    }

    private static String nodes(int count) {
        return count + (count == 1 ? " node" : " nodes");
    }
}
