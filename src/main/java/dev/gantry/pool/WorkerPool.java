package dev.gantry.pool;

import dev.gantry.common.ApiException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A worker pool's spec as the reconciler reads it (the API's JSON, already checked against the
 * {@code WorkerPool} schema): where to create nodes, which instance types it may create (the first that
 * fits wins; the others are the fallbacks when a type is out of capacity), the labels its nodes carry (plus
 * {@code pool=<name>}), how many nodes, how long a node may stay idle or take to join, and the
 * {@link PoolNetwork} (subnet, security groups) its instances are placed in.
 */
public record WorkerPool(String name, String provider, String endpoint, String region, String zone, String image,
    int diskGb, List<InstanceType> instanceTypes, Map<String, String> labels, int minNodes, int maxNodes,
    Duration idleTimeout, Duration joinTimeout, List<String> join, String startCommand, PoolNetwork network) {

  public static final String POOL_LABEL = "pool";
  public static final String INSTANCE_TYPE_LABEL = "instance-type";
  static final int DEFAULT_IDLE_SECONDS = 600;
  static final int DEFAULT_JOIN_SECONDS = 900;

  /**
   * One entry of the pool's instance type catalogue: what a node of this type offers the scheduler.
   *
   * @param devices accelerators per instance (0: CPU only)
   * @param deviceMemoryGib memory of each accelerator
   * @param deviceVendor {@code nvidia}, {@code amd}, … (null with no devices)
   * @param memoryGib RAM of the instance
   */
  public record InstanceType(String name, int devices, double deviceMemoryGib, String deviceVendor, double memoryGib,
      int cpus) {

    static InstanceType fromJson(JsonObject json) {
      return new InstanceType(json.getString("name"), json.getInteger("devices", 0),
          json.getDouble("device_memory_gib", 0.0), json.getString("device_vendor"), json.getDouble("memory_gib", 0.0),
          json.getInteger("cpus", 1));
    }
  }

  /** The pool of a stored (or new) spec; throws a 400 for combinations the schema cannot express. */
  public static WorkerPool fromJson(JsonObject spec) {
    List<InstanceType> types = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Object o : spec.getJsonArray("instance_types", new JsonArray())) {
      InstanceType type = InstanceType.fromJson((JsonObject) o);
      if (!seen.add(type.name())) {
        throw new ApiException(400, "BadRequest", "instance type '" + type.name() + "' is listed twice in instance_types",
            "instance_types");
      }
      if (type.devices() > 0 && type.deviceMemoryGib() <= 0) {
        throw new ApiException(400, "BadRequest", "instance type '" + type.name() + "' has devices but no "
            + "device_memory_gib: give the memory of each accelerator so that the pool knows which replicas fit", "instance_types");
      }
      types.add(type);
    }
    int min = spec.getInteger("min_nodes", 0);
    int max = spec.getInteger("max_nodes", 1);
    if (min > max) {
      throw new ApiException(400, "BadRequest", "min_nodes (" + min + ") is greater than max_nodes (" + max + ")", "min_nodes");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    spec.getJsonObject("labels", new JsonObject()).forEach(e -> labels.put(e.getKey(), String.valueOf(e.getValue())));
    if (labels.containsKey(POOL_LABEL)) {
      throw new ApiException(400, "BadRequest", "the label 'pool' is set by Gantry to the pool's name; leave it out", "labels");
    }
    List<String> join = spec.getJsonArray("join", new JsonArray()).stream().map(String::valueOf).toList();
    return new WorkerPool(spec.getString("name"), spec.getString("provider"), spec.getString("endpoint"),
        spec.getString("region"), spec.getString("zone"), spec.getString("image"), spec.getInteger("disk_gb", 0), types,
        labels, min, max, Duration.ofSeconds(spec.getInteger("idle_timeout", DEFAULT_IDLE_SECONDS)),
        Duration.ofSeconds(spec.getInteger("join_timeout", DEFAULT_JOIN_SECONDS)), join,
        spec.getString("start_command", "gantry"), PoolNetwork.fromJson(spec.getString("provider"), spec));
  }

  /** The labels a node of this pool starts with: the pool's, {@code pool=<name>} and its instance type. */
  public Map<String, String> nodeLabels(String instanceType) {
    Map<String, String> out = new LinkedHashMap<>(labels);
    out.put(POOL_LABEL, name);
    out.put(INSTANCE_TYPE_LABEL, instanceType);
    return out;
  }

  public InstanceType type(String typeName) {
    return instanceTypes.stream().filter(t -> t.name().equals(typeName)).findFirst().orElse(null);
  }

  public boolean gpus() {
    return instanceTypes.stream().anyMatch(t -> t.devices() > 0);
  }
}
