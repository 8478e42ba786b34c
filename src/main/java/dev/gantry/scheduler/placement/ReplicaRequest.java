package dev.gantry.scheduler.placement;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One replica to place.
 *
 * @param memoryPerDevice   estimated device memory in bytes the replica needs on each of its devices
 * @param ram               RAM in bytes it needs on its node (checked when greater than zero)
 * @param devicesPerReplica how many devices of one node it runs on; 0 means it runs on CPU only
 * @param nodeSelector      labels a node must carry, key=value exactly
 * @param deviceIds         when not empty, the only devices it may use
 * @param cpuOnly           the backend runs on CPU even if devices are present
 * @param cpuCores          CPU cores it needs on its node (checked when greater than zero)
 * @param backend           the backend whose engine it runs (null: any node will do); its devices must be of a
 *                          type it runs on ({@link BackendSupport})
 * @param deviceVendor      when not null, the only vendor whose devices it may use ({@code nvidia}, {@code ascend}, ...)
 * @param distributed       whether it may run over several nodes when no single node can hold it ({@link MultiNodePlacement});
 *                          null when the caller places on single nodes only (a worker pool asking whether a node fits)
 */
public record ReplicaRequest(String model, String instanceId, long memoryPerDevice, long ram,
    int devicesPerReplica, SortedMap<String, String> nodeSelector,
    List<String> deviceIds, Strategy strategy, boolean cpuOnly, int cpuCores, String backend, String deviceVendor,
    Distributed distributed) {

  public ReplicaRequest(String model, String instanceId, long memoryPerDevice, long ram, int devicesPerReplica,
      SortedMap<String, String> nodeSelector, List<String> deviceIds, Strategy strategy, boolean cpuOnly, int cpuCores,
      String backend, String deviceVendor) {
    this(model, instanceId, memoryPerDevice, ram, devicesPerReplica, nodeSelector, deviceIds, strategy, cpuOnly,
        cpuCores, backend, deviceVendor, null);
  }

  public ReplicaRequest(String model, String instanceId, long memoryPerDevice, long ram, int devicesPerReplica,
      SortedMap<String, String> nodeSelector, List<String> deviceIds, Strategy strategy, boolean cpuOnly, int cpuCores,
      String backend) {
    this(model, instanceId, memoryPerDevice, ram, devicesPerReplica, nodeSelector, deviceIds, strategy, cpuOnly,
        cpuCores, backend, null);
  }

  public ReplicaRequest(String model, String instanceId, long memoryPerDevice, long ram, int devicesPerReplica,
      SortedMap<String, String> nodeSelector, List<String> deviceIds, Strategy strategy, boolean cpuOnly, int cpuCores) {
    this(model, instanceId, memoryPerDevice, ram, devicesPerReplica, nodeSelector, deviceIds, strategy, cpuOnly,
        cpuCores, null);
  }

  public ReplicaRequest {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(strategy, "strategy");
    nodeSelector = Collections.unmodifiableSortedMap(
        nodeSelector == null ? new TreeMap<>() : new TreeMap<>(nodeSelector));
    deviceIds = deviceIds == null ? List.of() : List.copyOf(deviceIds);
    if (memoryPerDevice < 0 || ram < 0 || devicesPerReplica < 0 || cpuCores < 0) {
      throw new IllegalArgumentException("resource needs of " + instanceId + " must not be negative");
    }
    if ((cpuOnly || devicesPerReplica == 0) && !deviceIds.isEmpty()) {
      throw new IllegalArgumentException("replica " + instanceId
          + " runs on CPU only, so it cannot select devices " + deviceIds);
    }
  }

  /** A replica on {@code devices} devices of one node, each with {@code memoryPerDevice} bytes free. */
  public static ReplicaRequest devices(String model, String instanceId, long memoryPerDevice, int devices) {
    return new ReplicaRequest(model, instanceId, memoryPerDevice, 0, devices, null, null,
        Strategy.SPREAD, false, 0);
  }

  /** A replica for a CPU engine that needs {@code ram} bytes and {@code cpuCores} cores. */
  public static ReplicaRequest cpu(String model, String instanceId, long ram, int cpuCores) {
    return new ReplicaRequest(model, instanceId, 0, ram, 0, null, null, Strategy.SPREAD, true, cpuCores);
  }

  public ReplicaRequest withBackend(String name) {
    return new ReplicaRequest(model, instanceId, memoryPerDevice, ram, devicesPerReplica, nodeSelector,
        deviceIds, strategy, cpuOnly, cpuCores, name, deviceVendor, distributed);
  }

  /** The same replica, limited to devices of {@code vendor} (null: any vendor). */
  public ReplicaRequest withDeviceVendor(String vendor) {
    return new ReplicaRequest(model, instanceId, memoryPerDevice, ram, devicesPerReplica, nodeSelector,
        deviceIds, strategy, cpuOnly, cpuCores, backend, vendor, distributed);
  }

  /** Whether it is placed by RAM and CPU rather than on devices. */
  public boolean onCpu() {
    return cpuOnly || devicesPerReplica == 0;
  }

  public ReplicaRequest withStrategy(Strategy newStrategy) {
    return new ReplicaRequest(model, instanceId, memoryPerDevice, ram, devicesPerReplica, nodeSelector,
        deviceIds, newStrategy, cpuOnly, cpuCores, backend, deviceVendor, distributed);
  }

  public ReplicaRequest withNodeSelector(Map<String, String> selector) {
    return new ReplicaRequest(model, instanceId, memoryPerDevice, ram, devicesPerReplica, new TreeMap<>(selector),
        deviceIds, strategy, cpuOnly, cpuCores, backend, deviceVendor, distributed);
  }

  public ReplicaRequest withDeviceIds(List<String> ids) {
    return new ReplicaRequest(model, instanceId, memoryPerDevice, ram, devicesPerReplica, nodeSelector,
        ids, strategy, cpuOnly, cpuCores, backend, deviceVendor, distributed);
  }

  public ReplicaRequest withRam(long bytes) {
    return new ReplicaRequest(model, instanceId, memoryPerDevice, bytes, devicesPerReplica, nodeSelector,
        deviceIds, strategy, cpuOnly, cpuCores, backend, deviceVendor, distributed);
  }

  public ReplicaRequest withInstanceId(String id) {
    return new ReplicaRequest(model, id, memoryPerDevice, ram, devicesPerReplica, nodeSelector,
        deviceIds, strategy, cpuOnly, cpuCores, backend, deviceVendor, distributed);
  }

  /** The same replica, allowed (or not) to run over several nodes. */
  public ReplicaRequest withDistributed(Distributed mode) {
    return new ReplicaRequest(model, instanceId, memoryPerDevice, ram, devicesPerReplica, nodeSelector,
        deviceIds, strategy, cpuOnly, cpuCores, backend, deviceVendor, mode);
  }

  /** One of {@code parts} equal shares of this replica: its device memory (or RAM on CPU) divided among them. */
  ReplicaRequest share(int parts) {
    long memory = onCpu() ? memoryPerDevice : ceilDiv(memoryPerDevice, parts);
    long shareRam = onCpu() ? ceilDiv(ram, parts) : ram;
    return new ReplicaRequest(model, instanceId, memory, shareRam, devicesPerReplica, nodeSelector,
        deviceIds, strategy, cpuOnly, cpuCores, backend, deviceVendor, null);
  }

  /**
   * One of {@code parts} equal shares of this replica's devices ({@code devicesPerReplica} must divide evenly):
   * each share runs on {@code devicesPerReplica / parts} devices, each holding as much as before.
   */
  ReplicaRequest deviceShare(int parts) {
    if (onCpu() || devicesPerReplica % parts != 0) {
      throw new IllegalArgumentException(devicesPerReplica + " devices do not split into " + parts + " equal shares");
    }
    return new ReplicaRequest(model, instanceId, memoryPerDevice, ram, devicesPerReplica / parts, nodeSelector,
        deviceIds, strategy, cpuOnly, cpuCores, backend, deviceVendor, null);
  }

  private static long ceilDiv(long amount, int parts) {
    return (amount + parts - 1) / parts;
  }
}
