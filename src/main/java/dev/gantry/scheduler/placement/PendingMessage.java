package dev.gantry.scheduler.placement;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Renders the node-by-node reasons a replica stays pending (DESIGN.md §5), e.g.
 * {@code 3 nodes: n1 not ready; n2 needs 14.2 GiB on one device, largest free is 9.8 GiB; n3 label
 * gpu=a100 does not match}.
 *
 * <p>Up to {@code maxReasons} nodes are named in name order. Beyond that the nodes that came
 * closest to fitting are named first (capacity, then devices, then labels, then state), since those
 * are what a person can act on, and the rest are counted by reason:
 * {@code ...; and 995 more nodes: not ready (990), insufficient device memory (5)}. Only the named
 * nodes are described, so a message about a thousand nodes costs little more than one about five.
 */
final class PendingMessage {

  private PendingMessage() {
  }

  /**
   * @param reasons  the reason of every node, in node name order
   * @param describe the text of the node at a position, starting with its name
   */
  static String render(Reason[] reasons, int maxReasons, IntFunction<String> describe) {
    int total = reasons.length;
    if (total == 0) {
      return "no nodes in the cluster";
    }
    StringBuilder message = new StringBuilder().append(total).append(total == 1 ? " node: " : " nodes: ");
    List<Integer> named = total <= maxReasons ? all(total) : closestFirst(reasons, maxReasons);
    message.append(named.stream().map(describe::apply).collect(Collectors.joining("; ")));
    if (total > maxReasons) {
      int rest = total - maxReasons;
      message.append("; and ").append(rest).append(rest == 1 ? " more node: " : " more nodes: ")
          .append(countByCategory(reasons, named));
    }
    return message.toString();
  }

  /** Bytes as a person reads them: {@code 14.2 GiB}, {@code 512 MiB}; negative amounts read as 0. */
  static String bytes(long amount) {
    long value = Math.max(0, amount);
    if (value >= PlacementConfig.GIB) {
      return String.format(Locale.ROOT, "%.1f GiB", value / (double) PlacementConfig.GIB);
    }
    if (value >= 1L << 20) {
      return (value >> 20) + " MiB";
    }
    return value + " bytes";
  }

  private static List<Integer> all(int total) {
    List<Integer> positions = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      positions.add(i);
    }
    return positions;
  }

  private static List<Integer> closestFirst(Reason[] reasons, int maxReasons) {
    List<Integer> positions = new ArrayList<>(maxReasons);
    for (int stage = Reason.LAST_STAGE; stage >= 0 && positions.size() < maxReasons; stage--) {
      for (int i = 0; i < reasons.length && positions.size() < maxReasons; i++) {
        if (reasons[i].stage == stage) {
          positions.add(i);
        }
      }
    }
    return positions;
  }

  private static String countByCategory(Reason[] reasons, List<Integer> named) {
    Map<Reason, Integer> counts = new EnumMap<>(Reason.class);
    for (Reason reason : reasons) {
      counts.merge(reason, 1, Integer::sum);
    }
    named.forEach(i -> counts.merge(reasons[i], -1, Integer::sum));
    Map<String, Integer> byCategory = new TreeMap<>();
    counts.forEach((reason, count) -> byCategory.merge(reason.category, count, Integer::sum));
    return byCategory.entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .map(e -> e.getKey() + " (" + e.getValue() + ")")
        .collect(Collectors.joining(", "));
  }
}
