package dev.gantry.scheduler.placement;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the placement policy needs to know about one node.
 *
 * @param memoryTotal RAM in bytes
 */
public record NodeView(String name, NodeState state, Map<String, String> labels, int cpuCores,
    long memoryTotal, List<DeviceView> devices) {

  public NodeView {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    devices = devices == null ? List.of() : List.copyOf(devices);
  }
}
