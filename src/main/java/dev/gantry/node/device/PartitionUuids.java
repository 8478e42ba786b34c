package dev.gantry.node.device;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a visibility variable must name for a device of a node in this JVM: a partition (a MIG device) is
 * known to CUDA by its UUID ({@code CUDA_VISIBLE_DEVICES=MIG-...}), every other device by its index. The node's
 * agent records each detection here; the engine supervisor asks when it builds an engine's environment.
 */
public final class PartitionUuids {

  private static final Map<String, String> BY_DEVICE_ID = new ConcurrentHashMap<>();

  private PartitionUuids() {
  }

  /** Keeps the partition UUIDs of {@code node}'s devices just detected, forgetting its partitions now gone. */
  public static void record(String node, List<Device> devices) {
    Map<String, String> now = new HashMap<>();
    devices.stream().filter(d -> d.partition() != null && d.uuid() != null).forEach(d -> now.put(d.id(), d.uuid()));
    BY_DEVICE_ID.putAll(now);
    BY_DEVICE_ID.keySet().removeIf(id -> id.startsWith(node + ":") && !now.containsKey(id));
  }

  /**
   * The UUID of partition {@code deviceId} ({@code n1:cuda:100}), else the index its id ends with. A MIG device
   * id ({@code cuda}, index from 100, see {@link NvidiaMigDevices}) whose UUID is not known (not detected yet
   * after a start, or gone) is refused: with its bare index the engine would see no GPU, or run on the CPU.
   */
  public static String visibleId(String deviceId) {
    String uuid = BY_DEVICE_ID.get(deviceId);
    if (uuid != null) {
      return uuid;
    }
    String index = deviceId.substring(deviceId.lastIndexOf(':') + 1);
    if (deviceId.contains(":cuda:") && index.length() >= 3) {
      throw new IllegalArgumentException("MIG device " + deviceId + " is not among the devices this node detected "
          + "now (its GPU repartitioned, or detection has not run yet); the engine is not started without it");
    }
    return index;
  }
}
