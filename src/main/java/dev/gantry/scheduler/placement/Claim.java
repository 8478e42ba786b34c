package dev.gantry.scheduler.placement;

import java.util.List;
import java.util.Objects;

/**
 * The resources one model instance holds on a node. Claims, not live usage, are what placement
 * allocates (DESIGN.md §5).
 *
 * @param memoryPerDevice device memory in bytes claimed on each of {@code deviceIds}
 * @param ram             RAM in bytes claimed on the node
 */
public record Claim(String instanceId, String node, List<String> deviceIds, long memoryPerDevice,
    long ram, int cpuCores) {

  public Claim {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(node, "node");
    deviceIds = deviceIds == null ? List.of() : List.copyOf(deviceIds);
  }
}
