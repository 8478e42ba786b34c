package dev.gantry.pool;

import dev.gantry.common.DeviceVendor;
import dev.gantry.scheduler.placement.DeviceView;
import dev.gantry.scheduler.placement.NodeState;
import dev.gantry.scheduler.placement.NodeView;
import dev.gantry.scheduler.placement.Placement;
import dev.gantry.scheduler.placement.PlacementConfig;
import dev.gantry.scheduler.placement.PlacementDecision;
import dev.gantry.scheduler.placement.ReplicaRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Which instance type of a pool would host a pending replica: the scheduler's own placement policy asked
 * about an empty node of each type of the catalogue (its devices, device memory, vendor, RAM, the pool's
 * labels), in the catalogue's order. So a replica pending for lack of devices or memory adds a node of a
 * type that fits it, and one that no type fits (too big, another vendor, a node selector the pool's labels
 * do not meet) adds nothing.
 */
public final class PoolDemand {

  private static final long GIB = 1L << 30;
  private final Placement placement = new Placement(PlacementConfig.defaults());

  /** The types that fit {@code request}, best first (catalogue order); empty when none does. */
  public List<WorkerPool.InstanceType> fitting(WorkerPool pool, ReplicaRequest request) {
    List<WorkerPool.InstanceType> out = new ArrayList<>();
    for (WorkerPool.InstanceType type : pool.instanceTypes()) {
      if (placement.place(List.of(emptyNode(pool, type)), List.of(), request) instanceof PlacementDecision.Placed) {
        out.add(type);
      }
    }
    return out;
  }

  static NodeView emptyNode(WorkerPool pool, WorkerPool.InstanceType type) {
    String name = pool.name() + "-new";
    List<DeviceView> devices = new ArrayList<>();
    devices.add(new DeviceView(name + ":cpu:0", DeviceView.CPU, "cpu", 0));
    String deviceType = DeviceVendor.ofKey(type.deviceVendor() == null ? "nvidia" : type.deviceVendor())
        .map(DeviceVendor::type).orElse("cuda");
    for (int i = 0; i < type.devices(); i++) {
      devices.add(new DeviceView(name + ":" + deviceType + ":" + i, deviceType, type.name(),
          (long) (type.deviceMemoryGib() * GIB)));
    }
    return new NodeView(name, NodeState.READY, pool.nodeLabels(type.name()), Math.max(1, type.cpus()),
        (long) (type.memoryGib() * GIB), devices, null);
  }
}
