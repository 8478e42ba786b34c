package dev.gantry.scheduler;

import dev.gantry.cluster.InstancePart;
import dev.gantry.cluster.ModelInstance;
import dev.gantry.cluster.NodeRecord;
import dev.gantry.cluster.NodeState;
import dev.gantry.cluster.ReplicaParts;
import dev.gantry.scheduler.placement.Claim;
import dev.gantry.scheduler.placement.PlacementDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** What the scheduler does with replicas that run over several nodes: records their parts, counts their claims, and replaces one whose worker's node left. */
final class MultiNodeReplicas {

  private MultiNodeReplicas() {
  }

  /** What an instance holds: one claim on one node, or one per part. */
  static List<Claim> claims(ModelInstance instance) {
    if (instance.parts().isEmpty()) {
      ModelInstance.Claim held = instance.claim();
      return List.of(new Claim(instance.id(), instance.nodeName(), instance.deviceIds(), held.memoryPerDevice(),
          held.ram(), held.cpuCores()));
    }
    return instance.parts().stream().filter(p -> p.claim() != null).map(p -> new Claim(instance.id(), p.node(),
        p.deviceIds(), p.claim().memoryPerDevice(), p.claim().ram(), p.claim().cpuCores())).toList();
  }

  static UnaryOperator<ModelInstance> placedOver(PlacementDecision.PlacedOver over, Estimate estimate,
      List<NodeRecord> nodes) {
    List<InstancePart> parts = new ArrayList<>();
    for (Claim claim : over.parts()) {
      String address = nodes.stream().filter(n -> claim.node().equals(n.name())).map(NodeRecord::address)
          .findFirst().orElse("127.0.0.1");
      parts.add(InstancePart.placed(parts.size(), claim.node(), address, claim.deviceIds(),
          new ModelInstance.Claim(claim.ram(), claim.memoryPerDevice(), claim.cpuCores())));
    }
    String message = "placed over " + parts.size() + " nodes (" + parts.stream().map(InstancePart::node)
        .collect(Collectors.joining(", ")) + "; leader " + parts.get(0).node() + "), no single node holds it (needs "
        + estimate.breakdown() + ")";
    return i -> i.placedOver(parts, message);
  }

  /**
   * The message that restarts a replica whose worker's node left the cluster or is going away, or null when
   * every worker's node is there. (The leader's node follows the single-node rules: unreachable, then grace.)
   */
  static String lostWorker(ModelInstance instance, Map<String, NodeRecord> nodes) {
    for (InstancePart part : instance.parts()) {
      NodeRecord node = nodes.get(part.node());
      boolean gone = node == null || node.state() == NodeState.UNREACHABLE || node.state() == NodeState.STOPPED
          || node.state() == NodeState.STOPPING;
      if (!part.leader() && gone) {
        return ReplicaParts.name(part) + " lost: its node " + (node == null ? "left the cluster" : "is " + node.state().json())
            + "; restarting the replica";
      }
    }
    return null;
  }
}
