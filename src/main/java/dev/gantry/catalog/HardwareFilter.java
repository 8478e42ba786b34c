package dev.gantry.catalog;

import dev.gantry.cluster.NodeRecord;
import dev.gantry.engine.backend.EngineVersion;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * What a catalog spec needs from one node: devices of a vendor ({@code cpu}: none), at least
 * {@code device_count} of them each with {@code min_device_memory_gib} and, for NVIDIA, compute
 * capability {@code min_compute_capability}; an Ascend variant ({@code 910B}) matched in the device name;
 * {@code min_node_memory_gib} of RAM (for CPU specs, and for host KV cache).
 */
public record HardwareFilter(String vendor, int deviceCount, double minDeviceMemoryGib, String minComputeCapability,
    String deviceName, double minNodeMemoryGib) {

  private static final double GIB = 1L << 30;

  public static HardwareFilter from(JsonObject json) {
    JsonObject h = json == null ? new JsonObject() : json;
    String vendor = h.getString("vendor", "cpu").toLowerCase(Locale.ROOT);
    int count = h.getInteger("device_count", vendor.equals("cpu") ? 0 : 1);
    if (!vendor.equals("cpu") && count < 1) {
      throw new IllegalArgumentException("hardware.device_count must be at least 1 for vendor " + vendor);
    }
    String capability = h.getString("min_compute_capability");
    if (capability != null && !EngineVersion.valid(capability)) {
      throw new IllegalArgumentException("hardware.min_compute_capability must read like 8.0, got '" + capability + "'");
    }
    return new HardwareFilter(vendor, count, h.getDouble("min_device_memory_gib", 0.0), capability,
        h.getString("device_name"), h.getDouble("min_node_memory_gib", 0.0));
  }

  public boolean cpuOnly() {
    return vendor.equals("cpu");
  }

  /** Null when the node fits, else why not (shown beside a spec that fits nowhere). */
  public String misfit(NodeRecord node) {
    long memory = memoryTotal(node);
    if (memory < minNodeMemoryGib * GIB) {
      return "needs " + format(minNodeMemoryGib) + " GiB of memory; " + node.name() + " has " + format(memory / GIB);
    }
    if (cpuOnly()) {
      return null;
    }
    List<JsonObject> devices = node.hardware() == null || node.hardware().devices() == null ? List.of()
        : node.hardware().devices().stream().map(JsonObject.class::cast).filter(this::deviceFits).toList();
    if (devices.size() >= deviceCount) {
      return null;
    }
    return "needs " + deviceCount + " " + describeDevice() + "; " + node.name() + " has " + devices.size();
  }

  private boolean deviceFits(JsonObject device) {
    if (!vendor.equals(String.valueOf(device.getString("vendor")).toLowerCase(Locale.ROOT))) {
      return false;
    }
    Number memory = device.getNumber("memory_total");
    if (minDeviceMemoryGib > 0 && (memory == null || memory.doubleValue() < minDeviceMemoryGib * GIB * 0.97)) {
      return false;  // a "24 GB" card reports a little under 24 GiB
    }
    if (minComputeCapability != null) {
      String architecture = device.getString("architecture");
      if (architecture == null || !EngineVersion.valid(architecture)
          || EngineVersion.parse(architecture).before(minComputeCapability)) {
        return false;
      }
    }
    return deviceName == null || String.valueOf(device.getString("name")).toLowerCase(Locale.ROOT)
        .contains(deviceName.toLowerCase(Locale.ROOT));
  }

  private String describeDevice() {
    StringBuilder text = new StringBuilder(vendor).append(deviceName == null ? "" : " " + deviceName).append(" device(s)");
    if (minDeviceMemoryGib > 0) {
      text.append(" with ").append(format(minDeviceMemoryGib)).append(" GiB");
    }
    if (minComputeCapability != null) {
      text.append(", compute capability ").append(minComputeCapability).append("+");
    }
    return text.toString();
  }

  /** How demanding the spec is: specs for bigger hardware come first among those that fit. */
  double weight() {
    return (cpuOnly() ? 0 : 1_000_000) + deviceCount * minDeviceMemoryGib * 100 + minNodeMemoryGib;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("vendor", vendor);
    if (!cpuOnly()) {
      json.put("device_count", deviceCount);
    }
    if (minDeviceMemoryGib > 0) {
      json.put("min_device_memory_gib", minDeviceMemoryGib);
    }
    if (minComputeCapability != null) {
      json.put("min_compute_capability", minComputeCapability);
    }
    if (deviceName != null) {
      json.put("device_name", deviceName);
    }
    if (minNodeMemoryGib > 0) {
      json.put("min_node_memory_gib", minNodeMemoryGib);
    }
    return json;
  }

  private static long memoryTotal(NodeRecord node) {
    if (node.hardware() == null || node.hardware().memory() == null) {
      return 0;
    }
    Number total = node.hardware().memory().getNumber("total");
    return total == null ? 0 : total.longValue();
  }

  private static String format(double gib) {
    return gib == Math.rint(gib) ? String.valueOf((long) gib) : String.format(Locale.ROOT, "%.1f", gib);
  }
}
