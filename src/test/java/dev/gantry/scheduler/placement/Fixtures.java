package dev.gantry.scheduler.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small builders that keep the placement tests readable. */
final class Fixtures {

  static final long GIB = PlacementConfig.GIB;
  static final Placement PLACEMENT = new Placement(new PlacementConfig(0, 0, 5));

  private Fixtures() {
  }

  static long gib(double amount) {
    return (long) (amount * GIB);
  }

  /** A ready node with {@code count} cuda devices of {@code gibEach} GiB, 64 cores and 256 GiB RAM. */
  static NodeView gpuNode(String name, int count, double gibEach) {
    return node(name, NodeState.READY, Map.of(), count, gibEach);
  }

  static NodeView node(String name, NodeState state, Map<String, String> labels, int count, double gibEach) {
    List<DeviceView> devices = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      devices.add(new DeviceView(name + ":cuda:" + i, "cuda", "NVIDIA H100 80GB HBM3", gib(gibEach)));
    }
    return new NodeView(name, state, labels, 64, 256 * GIB, devices);
  }

  /** A ready node without accelerators. */
  static NodeView cpuNode(String name, int cores, double ramGib) {
    return new NodeView(name, NodeState.READY, Map.of(), cores, gib(ramGib),
        List.of(new DeviceView(name + ":cpu:0", "cpu", "AMD EPYC", 0)));
  }

  static ReplicaRequest gpu(String instance, double gibPerDevice, int devices) {
    return ReplicaRequest.devices("qwen3-8b", instance, gib(gibPerDevice), devices);
  }

  static Claim claim(String instance, String node, double gibPerDevice, String... deviceIds) {
    return new Claim(instance, node, List.of(deviceIds), gib(gibPerDevice), 0, 0);
  }

  static PlacementDecision.Placed placed(PlacementDecision decision) {
    if (decision instanceof PlacementDecision.Placed placed) {
      return placed;
    }
    throw new AssertionError("expected a placement, got pending: "
        + ((PlacementDecision.Pending) decision).message());
  }

  static String pending(PlacementDecision decision) {
    if (decision instanceof PlacementDecision.Pending pending) {
      return pending.message();
    }
    throw new AssertionError("expected pending, got placed on " + ((PlacementDecision.Placed) decision).claim());
  }

  /** {@code count} copies of {@code request} with instance ids {@code prefix-0, prefix-1, ...}. */
  static List<ReplicaRequest> replicas(ReplicaRequest request, String prefix, int count) {
    List<ReplicaRequest> requests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      requests.add(request.withInstanceId(prefix + "-" + i));
    }
    return requests;
  }
}
