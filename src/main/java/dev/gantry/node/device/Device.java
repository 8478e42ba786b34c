package dev.gantry.node.device;

import dev.gantry.common.DeviceHealth;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One accelerator of a node as the node record lists it (DESIGN.md §2). Readings a driver does not
 * give (shown as {@code [N/A]}, {@code N/A}, {@code -} or {@code [Not Supported]} by the vendor tools)
 * are null, never 0.
 *
 * @param id             {@code <node>:<type>:<index>}, e.g. {@code n1:cuda:0}
 * @param vendor         nvidia, amd, ascend, hygon, mthreads, iluvatar, metax, cambricon (cpu for the CPU)
 * @param type           runtime type: cuda, rocm, cann, dtk, musa, corex, maca, neuware, cpu
 * @param index          the number the vendor's runtime knows the device by (what its visibility variable takes)
 * @param memoryTotal    bytes; null where memory is shared with the host and not reported (e.g. GB10)
 * @param memoryUsed     bytes in use, live
 * @param utilization    percent of compute in use, live
 * @param temperature    degrees Celsius
 * @param power          watts drawn, live
 * @param driverVersion  the kernel driver's version as the tool shows it
 * @param runtimeVersion the compute runtime's version (CUDA, ROCm/DTK, CANN, MACA, ...)
 * @param architecture   compute capability ({@code 8.9}) or architecture ({@code gfx942})
 * @param health         what the tool says of the device's health ({@code OK}, {@code Warning}, ...)
 * @param busId          PCI address, e.g. {@code 0000:5A:00.0}
 * @param partition      the partition this device is (a MIG profile, {@code CPX}); null for a whole device
 * @param eccErrors      uncorrected ECC errors since the driver loaded, where the tool reports them
 *                       ({@code nvidia-smi}'s {@code ecc.errors.uncorrected.volatile.total}, {@code cnmon}'s
 *                       {@code Ecc-Error}); null when ECC is off or not reported
 */
public record Device(String id, String vendor, String type, int index, String name, String uuid,
    Long memoryTotal, Long memoryUsed, Integer utilization, Integer temperature, Double power,
    String driverVersion, String runtimeVersion, String architecture, String health, String busId,
    String partition, Long eccErrors) {

  public Device {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(vendor, "vendor");
    Objects.requireNonNull(type, "type");
    name = name == null ? "" : name;
  }

  /** A device whose tool reports no ECC errors. */
  public Device(String id, String vendor, String type, int index, String name, String uuid,
      Long memoryTotal, Long memoryUsed, Integer utilization, Integer temperature, Double power,
      String driverVersion, String runtimeVersion, String architecture, String health, String busId,
      String partition) {
    this(id, vendor, type, index, name, uuid, memoryTotal, memoryUsed, utilization, temperature, power,
        driverVersion, runtimeVersion, architecture, health, busId, partition, null);
  }

  /** A device with live readings only (versions, architecture, health, bus and partition unknown). */
  public Device(String id, String vendor, String type, int index, String name, String uuid,
      Long memoryTotal, Long memoryUsed, Integer utilization, Integer temperature, Double power) {
    this(id, vendor, type, index, name, uuid, memoryTotal, memoryUsed, utilization, temperature, power,
        null, null, null, null, null, null, null);
  }

  /** Whether the tool calls the device healthy ({@link DeviceHealth#healthy}); null when unknown. */
  public Boolean healthy() {
    return DeviceHealth.healthy(health);
  }

  /** The device id for a node, runtime type and index: {@code n1:cuda:0}. */
  public static String id(String node, String type, int index) {
    return node + ":" + type + ":" + index;
  }

  /** The node record's form: snake_case fields, unknown readings as JSON null. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("vendor", vendor)
        .put("type", type)
        .put("index", index)
        .put("name", name)
        .put("uuid", uuid)
        .put("memory_total", memoryTotal)
        .put("memory_used", memoryUsed)
        .put("utilization", utilization)
        .put("temperature", temperature)
        .put("power", power)
        .put("driver_version", driverVersion)
        .put("runtime_version", runtimeVersion)
        .put("architecture", architecture)
        .put("health", health)
        .put("bus_id", busId)
        .put("partition", partition)
        .put("ecc_errors", eccErrors);
  }

  /** Reads what {@link #toJson()} wrote, e.g. back from a node record in Hazelcast. */
  public static Device fromJson(JsonObject json) {
    return new Device(json.getString("id"), json.getString("vendor"), json.getString("type"),
        json.getInteger("index"), json.getString("name"), json.getString("uuid"),
        json.getLong("memory_total"), json.getLong("memory_used"), json.getInteger("utilization"),
        json.getInteger("temperature"), json.getDouble("power"), json.getString("driver_version"),
        json.getString("runtime_version"), json.getString("architecture"), json.getString("health"),
        json.getString("bus_id"), json.getString("partition"), json.getLong("ecc_errors"));
  }
}
