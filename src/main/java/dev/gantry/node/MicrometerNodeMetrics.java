package dev.gantry.node;

import dev.gantry.node.device.Device;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The node's and its devices' live readings as Prometheus gauges: {@code gantry_node_cpu_utilization_ratio},
 * {@code gantry_node_memory_used_bytes}, {@code gantry_node_memory_total_bytes}, and per device
 * {@code gantry_device_memory_used_bytes}, {@code gantry_device_memory_total_bytes},
 * {@code gantry_device_utilization_ratio}, {@code gantry_device_temperature_celsius},
 * {@code gantry_device_power_watts}, {@code gantry_device_ecc_errors} (uncorrected, where reported) and
 * {@code gantry_device_healthy} (1/0, where the tool's health is known, see {@link Device#healthy()}), tagged
 * {@code node, device, vendor, index, name}. A gauge exists only
 * while its reading does: a device that disappears, or stops giving a reading, leaves no stale series.
 */
public final class MicrometerNodeMetrics {

  private final MeterRegistry registry;
  private final String node;
  /** The gauges now registered, by meter name and tags, with the value each reads. */
  private final Map<GaugeKey, Held> gauges = new HashMap<>();

  private record GaugeKey(String name, Tags tags) {
  }

  private record Held(AtomicReference<Double> value, Gauge gauge) {
  }

  public MicrometerNodeMetrics(MeterRegistry registry, String node) {
    this.registry = registry;
    this.node = node;
  }

  public synchronized void update(NodeSample sample) {
    Map<GaugeKey, Double> wanted = new HashMap<>();
    Tags nodeTags = Tags.of("node", node);
    wanted.put(new GaugeKey("gantry_node_cpu_utilization_ratio", nodeTags), sample.cpuUtilization());
    wanted.put(new GaugeKey("gantry_node_memory_used_bytes", nodeTags), (double) sample.memoryUsed());
    wanted.put(new GaugeKey("gantry_node_memory_total_bytes", nodeTags), (double) sample.memoryTotal());
    for (Device device : sample.devices()) {
      Tags tags = Tags.of("node", node, "device", device.id(), "vendor", device.vendor(),
          "index", Integer.toString(device.index()), "name", device.name());
      wanted.put(new GaugeKey("gantry_device_memory_used_bytes", tags), bytes(device.memoryUsed()));
      wanted.put(new GaugeKey("gantry_device_memory_total_bytes", tags), bytes(device.memoryTotal()));
      wanted.put(new GaugeKey("gantry_device_utilization_ratio", tags), NodeSample.ratio(device.utilization()));
      wanted.put(new GaugeKey("gantry_device_temperature_celsius", tags),
          device.temperature() == null ? null : device.temperature().doubleValue());
      wanted.put(new GaugeKey("gantry_device_power_watts", tags), device.power());
      wanted.put(new GaugeKey("gantry_device_ecc_errors", tags), device.eccErrors() == null ? null : device.eccErrors().doubleValue());
      wanted.put(new GaugeKey("gantry_device_healthy", tags), device.healthy() == null ? null : device.healthy() ? 1.0 : 0.0);
    }
    wanted.values().removeIf(java.util.Objects::isNull);
    gauges.entrySet().removeIf(entry -> {
      if (wanted.containsKey(entry.getKey())) {
        return false;
      }
      registry.remove(entry.getValue().gauge());
      return true;
    });
    wanted.forEach((key, value) -> gauges.computeIfAbsent(key, this::register).value().set(value));
  }

  private Held register(GaugeKey key) {
    AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
    Gauge gauge = Gauge.builder(key.name(), value, AtomicReference::get).description(description(key.name()))
        .tags(key.tags()).strongReference(true).register(registry);
    return new Held(value, gauge);
  }

  private static Double bytes(Long value) {
    return value == null ? null : value.doubleValue();
  }

  private static String description(String name) {
    return switch (name) {
      case "gantry_node_cpu_utilization_ratio" -> "Share of the node's CPU time in use between two heartbeats, 0..1";
      case "gantry_node_memory_used_bytes" -> "Node memory in use (total less available)";
      case "gantry_node_memory_total_bytes" -> "Node memory installed";
      case "gantry_device_memory_used_bytes" -> "Accelerator memory in use";
      case "gantry_device_memory_total_bytes" -> "Accelerator memory on the device";
      case "gantry_device_utilization_ratio" -> "Accelerator compute in use as its tool reports it, 0..1";
      case "gantry_device_temperature_celsius" -> "Accelerator temperature";
      case "gantry_device_ecc_errors" -> "Uncorrected ECC errors since the accelerator's driver loaded";
      case "gantry_device_healthy" -> "1 when the accelerator's tool calls it healthy, 0 when it reports a problem";
      default -> "Accelerator power draw";
    };
  }
}
