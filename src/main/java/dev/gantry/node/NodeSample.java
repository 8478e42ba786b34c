package dev.gantry.node;

import dev.gantry.node.device.Device;
import dev.gantry.node.history.MetricsHistory.Key;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one heartbeat of the node agent read: the node's CPU and memory and its accelerators (not the
 * CPU pseudo-device). Feeds the Prometheus gauges and the node's own history.
 *
 * @param cpuUtilization 0..1
 */
public record NodeSample(long epochMs, double cpuUtilization, long memoryUsed, long memoryTotal, List<Device> devices) {

  /** History series names: the node's {@code cpu} (0..1), {@code memory_used}, {@code memory_total} (bytes). */
  public static final String CPU = "cpu";
  public static final String MEMORY_USED = "memory_used";
  public static final String MEMORY_TOTAL = "memory_total";
  /** Per device: {@code memory_used} (bytes), {@code utilization} (0..1), {@code temperature} (°C), {@code power} (W). */
  public static final String UTILIZATION = "utilization";
  public static final String TEMPERATURE = "temperature";
  public static final String POWER = "power";

  /** The sample as history series; readings a device does not give are null. */
  public Map<Key, Double> series() {
    Map<Key, Double> out = new LinkedHashMap<>();
    out.put(new Key(null, CPU), cpuUtilization);
    out.put(new Key(null, MEMORY_USED), (double) memoryUsed);
    out.put(new Key(null, MEMORY_TOTAL), (double) memoryTotal);
    for (Device device : devices) {
      out.put(new Key(device.id(), MEMORY_USED), device.memoryUsed() == null ? null : device.memoryUsed().doubleValue());
      out.put(new Key(device.id(), UTILIZATION), ratio(device.utilization()));
      out.put(new Key(device.id(), TEMPERATURE), device.temperature() == null ? null : device.temperature().doubleValue());
      out.put(new Key(device.id(), POWER), device.power());
    }
    return out;
  }

  /** A percentage as 0..1; null stays null. */
  public static Double ratio(Integer percent) {
    return percent == null ? null : percent / 100.0;
  }
}
