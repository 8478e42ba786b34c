package dev.gantry.engine;

import dev.gantry.cluster.InstancePart;
import dev.gantry.cluster.ModelInstance;
import dev.gantry.cluster.ReplicaParts;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which parts of replicas over several nodes this node runs, and what each needs to start. The leader's
 * process is keyed by the instance id (like a replica on one node: its logs, metrics and pid file), a
 * worker's by {@code id#rank}. A worker starts only once the leader of the current generation has
 * started and recorded its rendezvous port. For a hub model every part's node first gets the files into its
 * own cache, and the leader starts only once every part holds them ({@link ReplicaParts#everyPartHoldsFiles}).
 */
final class PartsOnNode {

  private PartsOnNode() {
  }

  static boolean hasPartOn(ModelInstance instance, String node) {
    return instance.parts().stream().anyMatch(p -> p.node().equals(node));
  }

  /** Whether any process of {@code keys} belongs to the instance (its leader or one of its workers). */
  static boolean runsAny(Collection<String> keys, String instanceId) {
    return keys.stream().anyMatch(k -> k.equals(instanceId) || k.startsWith(instanceId + "#"));
  }

  /** Every part on {@code node}, by process key, with its rank: what the node downloads files for. */
  static Map<String, Integer> placed(ModelInstance instance, String node) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (InstancePart part : instance.parts()) {
      if (part.node().equals(node)) {
        out.put(key(instance, part.rank()), part.rank());
      }
    }
    return out;
  }

  /** The process key of part {@code rank}. */
  static String key(ModelInstance instance, int rank) {
    return rank == 0 ? instance.id() : instance.id() + "#" + rank;
  }

  /**
   * Whether part {@code rank}'s engine may start now: a worker once the leader recorded its rendezvous port;
   * the leader at once, or for a model whose files come from a hub once every part's node holds them.
   */
  static boolean mayStart(ModelInstance instance, int rank, boolean hubFiles) {
    if (rank > 0) {
      return instance.parts().get(0).rendezvousPort() > 0;
    }
    return !hubFiles || ReplicaParts.everyPartHoldsFiles(instance);
  }

  /** Part {@code rank}'s launch: the leader's rendezvous port is its own new one, a worker's the leader's. */
  static MultiNodeLaunch launch(ModelInstance instance, int rank, int ownRendezvousPort) {
    List<InstancePart> parts = instance.parts();
    InstancePart leader = parts.get(0);
    int rendezvous = rank == 0 ? ownRendezvousPort : leader.rendezvousPort();
    List<MultiNodeLaunch.Host> hosts = parts.stream()
        .map(p -> new MultiNodeLaunch.Host(p.address(), indexes(accelerators(p.deviceIds())))).toList();
    return new MultiNodeLaunch(parts.size(), rank, leader.address(), rendezvous,
        accelerators(parts.get(rank).deviceIds()).size(), hosts);
  }

  static List<String> accelerators(List<String> deviceIds) {
    return deviceIds.stream().filter(id -> !id.contains(":cpu:")).toList();
  }

  static List<Integer> indexes(List<String> accelerators) {
    return accelerators.stream().map(id -> Integer.parseInt(id.substring(id.lastIndexOf(':') + 1))).toList();
  }
}
