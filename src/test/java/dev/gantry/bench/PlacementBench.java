package dev.gantry.bench;

import dev.gantry.scheduler.placement.DeviceView;
import dev.gantry.scheduler.placement.NodeState;
import dev.gantry.scheduler.placement.NodeView;
import dev.gantry.scheduler.placement.Placement;
import dev.gantry.scheduler.placement.PlacementConfig;
import dev.gantry.scheduler.placement.PlacementDecision;
import dev.gantry.scheduler.placement.ReplicaRequest;
import dev.gantry.scheduler.placement.Strategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Places 10,000 replicas on 1,000 simulated nodes with 8 devices each and prints the median of five
 * timed runs after warm-up (DESIGN.md §9 budget: 2 s). Two workloads: a realistic mix that mostly
 * fits, and a saturated one where a fifth of the replicas stay pending and each gets a full
 * node-by-node message. Run with {@code scripts/bench-scheduler.sh}.
 */
public final class PlacementBench {

  private static final long GIB = PlacementConfig.GIB;
  private static final int NODES = 1_000;
  private static final int DEVICES_PER_NODE = 8;
  private static final int REPLICAS = 10_000;
  private static final int WARM_UP_RUNS = 3;
  private static final int TIMED_RUNS = 5;

  private PlacementBench() {
  }

  public static void main(String[] args) {
    List<NodeView> nodes = nodes(new Random(42));
    Placement placement = new Placement(PlacementConfig.defaults());
    System.out.printf(Locale.ROOT, "placement bench: %d nodes x %d devices, %d replicas, %d cpus, java %s%n",
        NODES, DEVICES_PER_NODE, REPLICAS, Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    run("mixed", placement, nodes, mixed(new Random(7)));
    run("saturated", placement, nodes, saturated());
  }

  private static void run(String name, Placement placement, List<NodeView> nodes, List<ReplicaRequest> requests) {
    List<PlacementDecision> decisions = List.of();
    for (int i = 0; i < WARM_UP_RUNS; i++) {
      decisions = placement.placeAll(nodes, List.of(), requests);
    }
    double[] millis = new double[TIMED_RUNS];
    for (int i = 0; i < TIMED_RUNS; i++) {
      long start = System.nanoTime();
      decisions = placement.placeAll(nodes, List.of(), requests);
      millis[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(millis);
    double median = millis[TIMED_RUNS / 2];
    long placed = decisions.stream().filter(d -> d instanceof PlacementDecision.Placed).count();
    System.out.printf(Locale.ROOT,
        "%-9s placed %5d, pending %5d: median %7.1f ms (min %.1f, max %.1f), %,.0f placements/s, "
            + "budget 2000 ms: %s%n",
        name, placed, decisions.size() - placed, median, millis[0], millis[TIMED_RUNS - 1],
        decisions.size() / (median / 1000), median <= 2000 ? "within" : "OVER");
  }

  /** 2% of nodes not ready, 1% in maintenance; a third labelled gpu=a100, the rest gpu=h100. */
  private static List<NodeView> nodes(Random random) {
    List<NodeView> nodes = new ArrayList<>(NODES);
    for (int n = 0; n < NODES; n++) {
      String name = String.format(Locale.ROOT, "node-%04d", n);
      int roll = random.nextInt(100);
      NodeState state = roll < 2 ? NodeState.NOT_READY : roll < 3 ? NodeState.MAINTENANCE : NodeState.READY;
      List<DeviceView> devices = new ArrayList<>(DEVICES_PER_NODE);
      for (int d = 0; d < DEVICES_PER_NODE; d++) {
        devices.add(new DeviceView(name + ":cuda:" + d, "cuda", "NVIDIA H100 80GB HBM3", 80 * GIB));
      }
      nodes.add(new NodeView(name, state, Map.of("gpu", n % 3 == 0 ? "a100" : "h100"), 128, 1024 * GIB,
          devices));
    }
    return nodes;
  }

  /** 70% one device, 20% two, 5% four, 5% on CPU; a tenth with a node selector; half binpack. */
  private static List<ReplicaRequest> mixed(Random random) {
    List<ReplicaRequest> requests = new ArrayList<>(REPLICAS);
    for (int i = 0; i < REPLICAS; i++) {
      int kind = random.nextInt(100);
      String model = "model-" + (i % 50);
      String id = model + "-" + i;
      ReplicaRequest request = kind < 70 ? ReplicaRequest.devices(model, id, (8 + random.nextInt(33)) * GIB, 1)
          : kind < 90 ? ReplicaRequest.devices(model, id, (20 + random.nextInt(41)) * GIB, 2)
          : kind < 95 ? ReplicaRequest.devices(model, id, 60 * GIB, 4)
          : ReplicaRequest.cpu(model, id, (2 + random.nextInt(15)) * GIB, 2);
      request = request.withRam(4 * GIB).withStrategy(i % 50 < 25 ? Strategy.SPREAD : Strategy.BINPACK);
      if (random.nextInt(10) == 0) {
        request = request.withNodeSelector(Map.of("gpu", "a100"));
      }
      requests.add(request);
    }
    return requests;
  }

  /** Every replica wants 50 GiB on one device: one per device fits, the rest stay pending. */
  private static List<ReplicaRequest> saturated() {
    List<ReplicaRequest> requests = new ArrayList<>(REPLICAS);
    for (int i = 0; i < REPLICAS; i++) {
      requests.add(ReplicaRequest.devices("big", "big-" + i, 50 * GIB, 1));
    }
    return requests;
  }
}
