package dev.gantry.scheduler.placement;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the placement policy needs to know about one node.
 *
 * @param memoryTotal RAM in bytes
 * @param backends    the backends whose engine the node can start; null when it does not say (it may run any)
 */
public record NodeView(String name, NodeState state, Map<String, String> labels, int cpuCores,
    long memoryTotal, List<DeviceView> devices, Set<String> backends) {

  public NodeView {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    devices = devices == null ? List.of() : List.copyOf(devices);
    backends = backends == null ? null : Set.copyOf(backends);
  }

  /** A node that does not say which backends it runs. */
  public NodeView(String name, NodeState state, Map<String, String> labels, int cpuCores, long memoryTotal,
      List<DeviceView> devices) {
    this(name, state, labels, cpuCores, memoryTotal, devices, null);
  }

  /** Whether the node can start an engine of {@code backend} (null: any backend will do). */
  public boolean runs(String backend) {
    return backend == null || backends == null || backends.contains(backend);
  }
}
