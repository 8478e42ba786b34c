package dev.gantry.scheduler.placement;

import java.util.Objects;

/**
 * What the placement policy needs to know about one device of a node.
 *
 * @param id          {@code <node>:<type>:<index>}, e.g. {@code n1:cuda:0}
 * @param type        runtime type: cuda, rocm, cann, ... or cpu
 * @param memoryTotal device memory in bytes
 */
public record DeviceView(String id, String type, String name, long memoryTotal) {

  public static final String CPU = "cpu";

  public DeviceView {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    name = name == null ? "" : name;
    if (memoryTotal < 0) {
      throw new IllegalArgumentException("memoryTotal of " + id + " is negative: " + memoryTotal);
    }
  }

  /** Whether replicas that ask for devices may be placed on this one (every type but cpu). */
  public boolean isAccelerator() {
    return !CPU.equals(type);
  }
}
