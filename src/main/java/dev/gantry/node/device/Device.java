package dev.gantry.node.device;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One accelerator of a node as the node record lists it (DESIGN.md §2). Readings a driver does not
 * give (shown as {@code [N/A]} or {@code [Not Supported]} by the vendor tools) are null, never 0.
 *
 * @param id          {@code <node>:<type>:<index>}, e.g. {@code n1:cuda:0}
 * @param vendor      nvidia, amd, ascend, hygon, mthreads, iluvatar, metax, cambricon
 * @param type        runtime type: cuda, rocm, cann, dtk, musa, corex, maca, neuware, cpu
 * @param memoryTotal bytes; null where memory is shared with the host and not reported (e.g. GB10)
 * @param memoryUsed  bytes in use, live
 * @param utilization percent of compute in use, live
 * @param temperature degrees Celsius
 * @param power       watts drawn, live
 */
public record Device(String id, String vendor, String type, int index, String name, String uuid,
    Long memoryTotal, Long memoryUsed, Integer utilization, Integer temperature, Double power) {

  public Device {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(vendor, "vendor");
    Objects.requireNonNull(type, "type");
    name = name == null ? "" : name;
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
        .put("power", power);
  }

  /** Reads what {@link #toJson()} wrote, e.g. back from a node record in Hazelcast. */
  public static Device fromJson(JsonObject json) {
    return new Device(json.getString("id"), json.getString("vendor"), json.getString("type"),
        json.getInteger("index"), json.getString("name"), json.getString("uuid"),
        json.getLong("memory_total"), json.getLong("memory_used"), json.getInteger("utilization"),
        json.getInteger("temperature"), json.getDouble("power"));
  }
}
