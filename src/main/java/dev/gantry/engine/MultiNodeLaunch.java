package dev.gantry.engine;

import java.util.List;

/**
 * What one node's part of a replica over several nodes needs on its command line: how many nodes, its rank,
 * where the leader (rank 0) waits for the others, and how the replica is split (tensor parallel over
 * {@code devicesPerNode} devices inside a node, pipeline parallel over {@code nodes} nodes).
 *
 * @param leaderAddress  the leader node's address, reachable from the other nodes
 * @param rendezvousPort the leader's port for the rendezvous (vLLM {@code --master-port}, SGLang
 *                       {@code --dist-init-addr}'s port, MindIE {@code multiNodesInferPort})
 * @param hosts          every part's node address and device indexes, by rank (MindIE's rank table)
 */
public record MultiNodeLaunch(int nodes, int rank, String leaderAddress, int rendezvousPort, int devicesPerNode,
    List<Host> hosts) {

  /** One part's node as the others see it. */
  public record Host(String address, List<Integer> deviceIndexes) {
    public Host {
      deviceIndexes = List.copyOf(deviceIndexes);
    }
  }

  public MultiNodeLaunch {
    hosts = List.copyOf(hosts);
    if (nodes < 2 || rank < 0 || rank >= nodes) {
      throw new IllegalArgumentException("rank " + rank + " of " + nodes + " nodes");
    }
  }

  public boolean leader() {
    return rank == 0;
  }

  /** The tensor-parallel size: the devices of each node, at least 1 (a CPU part). */
  public int tensorParallel() {
    return Math.max(1, devicesPerNode);
  }
}
