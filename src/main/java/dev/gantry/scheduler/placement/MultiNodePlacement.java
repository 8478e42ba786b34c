package dev.gantry.scheduler.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Places one replica over several nodes when no single node can hold it: the fewest nodes (2, 3, ...)
 * that each take an equal share of it. A share is, in this order of preference:
 * <ol>
 *   <li>a share of its devices, when {@code devices_per_replica} divides evenly among the nodes: a replica of
 *       8 devices runs on 4 devices of 2 nodes, each device holding what it would hold on one node of 8
 *       (so nodes smaller than the replica can still serve it);</li>
 *   <li>a share of its device memory (or RAM on CPU), every share on the replica's {@code devices_per_replica}
 *       devices of its node.</li>
 * </ol>
 * Inside a node the engine splits its share over the node's devices (tensor parallel over the part's
 * devices), across nodes it runs in stages (pipeline parallel over the parts). Only engines that can
 * rendezvous over the network are split: vLLM, SGLang and MindIE; llama.cpp's RPC mode, the builtin engine
 * and custom commands are not. The first node chosen is the leader (rank 0), which serves the API.
 */
final class MultiNodePlacement {

  /** The backends whose engines start one replica over several nodes. */
  static final Set<String> BACKENDS = Set.of("vllm", "sglang", "mindie");

  private MultiNodePlacement() {
  }

  /** The decision for a replica that fit no single node; {@code message} says node by node why. */
  static PlacementDecision place(CapacityLedger ledger, ReplicaRequest request, String message) {
    String backend = backendName(request.backend());
    if (request.distributed() == Distributed.OFF) {
      return new PlacementDecision.Pending(request.instanceId(), message
          + " — it does not fit one node and distributed is off (set distributed: auto to run it over several nodes)");
    }
    if (!BACKENDS.contains(backend)) {
      return new PlacementDecision.Pending(request.instanceId(), message + " — it does not fit one node, and backend "
          + backend + " cannot run one replica over several nodes (vllm, sglang and mindie can)");
    }
    int mostHolding = 0;
    for (int parts = 2; parts <= ledger.nodeCount(); parts++) {
      for (ReplicaRequest share : shares(request, parts)) {
        List<int[]> candidates = candidates(ledger, share);
        if (candidates.size() >= parts) {
          return placed(ledger, share, candidates.subList(0, parts));
        }
        mostHolding = parts == 2 ? Math.max(mostHolding, candidates.size()) : mostHolding;
      }
    }
    return new PlacementDecision.Pending(request.instanceId(), message + " — nor over several nodes: "
        + (ledger.nodeCount() < 2 ? "there is only one node" : "half of it fits on " + mostHolding
            + (mostHolding == 1 ? " node" : " nodes") + ", and smaller shares on too few nodes"));
  }

  /** The ways to cut a replica into {@code parts} equal shares, preferred first (see the class comment). */
  static List<ReplicaRequest> shares(ReplicaRequest request, int parts) {
    List<ReplicaRequest> shares = new ArrayList<>(2);
    if (!request.onCpu() && request.devicesPerReplica() % parts == 0) {
      shares.add(request.deviceShare(parts));
    }
    shares.add(request.share(parts));
    return shares;
  }

  /** {@code vllm} for {@code vllm@0.12.0}. */
  static String backendName(String backend) {
    return backend == null ? "any" : backend.contains("@") ? backend.substring(0, backend.indexOf('@')) : backend;
  }

  /** Nodes that hold one share, as {node, claims, free}, best first by the replica's strategy. */
  private static List<int[]> candidates(CapacityLedger ledger, ReplicaRequest share) {
    ReplicaFit fit = new ReplicaFit(ledger, share);
    List<int[]> out = new ArrayList<>();
    List<Long> free = new ArrayList<>();
    for (int n = 0; n < ledger.nodeCount(); n++) {
      if (fit.check(n) == null) {
        out.add(new int[] {n, ledger.nodeClaims(n), free.size()});
        free.add(fit.freeOfChecked(n));
      }
    }
    Comparator<int[]> byFree = Comparator.comparing(c -> free.get(c[2]));
    Comparator<int[]> order = share.strategy() == Strategy.BINPACK ? byFree
        : Comparator.<int[]>comparingInt(c -> c[1]).thenComparing(byFree.reversed());
    out.sort(order.thenComparingInt(c -> c[0]));
    return out;
  }

  private static PlacementDecision placed(CapacityLedger ledger, ReplicaRequest share, List<int[]> chosen) {
    ReplicaFit fit = new ReplicaFit(ledger, share);
    List<Claim> claims = new ArrayList<>();
    for (int[] candidate : chosen) {
      int n = candidate[0];
      fit.check(n);
      List<String> devices = fit.chooseDevices(n);
      claims.add(new Claim(share.instanceId(), ledger.node(n).name(), devices,
          devices.isEmpty() ? 0 : share.memoryPerDevice(), share.ram(), share.cpuCores()));
    }
    return new PlacementDecision.PlacedOver(share.instanceId(), claims);
  }
}
