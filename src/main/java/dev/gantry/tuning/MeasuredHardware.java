package dev.gantry.tuning;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;

/**
 * The hardware filter of a measured spec: what the winner ran on, from its benchmark's {@code hardware}
 * (per node: devices with vendor, name and memory). An engine that runs on CPUs, or nodes without
 * devices, give {@code {"vendor": "cpu"}}; else the vendor and device name of the first node's devices,
 * the smallest device memory (whole GiB, rounded down) and the devices per replica.
 */
final class MeasuredHardware {

  private static final Set<String> CPU_BACKENDS = Set.of("builtin");
  private static final double GIB = 1L << 30;

  private MeasuredHardware() {
  }

  static JsonObject filter(JsonObject benchmarkHardware, JsonObject model) {
    JsonArray nodes = benchmarkHardware == null ? new JsonArray() : benchmarkHardware.getJsonArray("nodes", new JsonArray());
    JsonArray devices = nodes.isEmpty() ? new JsonArray() : nodes.getJsonObject(0).getJsonArray("devices", new JsonArray());
    if (CPU_BACKENDS.contains(model.getString("backend")) || devices.isEmpty()
        || "cpu".equals(model.getString("device_vendor"))) {
      return new JsonObject().put("vendor", "cpu");
    }
    JsonObject first = devices.getJsonObject(0);
    double smallest = Double.MAX_VALUE;
    for (Object node : nodes) {
      for (Object device : ((JsonObject) node).getJsonArray("devices", new JsonArray())) {
        Number memory = ((JsonObject) device).getNumber("memory_total");
        if (memory != null) {
          smallest = Math.min(smallest, memory.doubleValue());
        }
      }
    }
    JsonObject filter = new JsonObject().put("vendor", String.valueOf(first.getString("vendor")).toLowerCase(Locale.ROOT))
        .put("device_count", Math.max(1, model.getInteger("devices_per_replica", 1)));
    if (smallest < Double.MAX_VALUE) {
      filter.put("min_device_memory_gib", Math.floor(smallest / GIB));
    }
    if (first.getString("name") != null) {
      filter.put("device_name", first.getString("name"));
    }
    return filter;
  }

  /**
   * The measured spec's id: one per base spec and hardware, so a later run replaces it. A base spec that was
   * itself measured ({@code measured-<base>-<hardware>}) counts as its own base: a run from it on the same
   * hardware replaces it rather than adding {@code measured-measured-...}.
   */
  static String specId(String baseSpec, JsonObject filter) {
    String hardware = clean(filter.getString("vendor") + (filter.getString("device_name") == null ? ""
        : "-" + filter.getString("device_name")));
    String base = baseSpec == null ? null : clean(baseSpec);
    if (base != null && base.startsWith("measured-")) {
      base = base.substring("measured-".length());
      if (base.equals(hardware) || base.isEmpty()) {
        base = null;
      } else if (base.endsWith("-" + hardware)) {
        base = base.substring(0, base.length() - hardware.length() - 1);
      }
    }
    String id = clean("measured-" + (base == null ? "" : base + "-") + hardware);
    return id.length() > 80 ? id.substring(0, 80) : id;
  }

  private static String clean(String id) {
    return id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("-+", "-");
  }
}
