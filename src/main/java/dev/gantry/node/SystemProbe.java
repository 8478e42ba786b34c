package dev.gantry.node;

import io.vertx.core.json.JsonObject;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.software.os.OperatingSystem;

/**
 * What this machine has and how busy it is, read through OSHI. Utilisation is measured between two
 * consecutive calls, so call {@link #sample()} periodically from one (worker) thread.
 */
public final class SystemProbe {

  private final CentralProcessor processor;
  private final GlobalMemory memory;
  private final OperatingSystem os;
  private long[] previousTicks;

  public SystemProbe() {
    SystemInfo info = new SystemInfo();
    this.processor = info.getHardware().getProcessor();
    this.memory = info.getHardware().getMemory();
    this.os = info.getOperatingSystem();
    this.previousTicks = processor.getSystemCpuLoadTicks();
  }

  public synchronized JsonObject sample() {
    double load = processor.getSystemCpuLoadBetweenTicks(previousTicks);
    previousTicks = processor.getSystemCpuLoadTicks();
    long total = memory.getTotal();
    return new JsonObject()
        .put("os", new JsonObject().put("name", os.getFamily()).put("version", os.getVersionInfo().getVersion())
            .put("arch", System.getProperty("os.arch")))
        .put("cpu", new JsonObject()
            .put("model", processor.getProcessorIdentifier().getName().strip())
            .put("cores", processor.getLogicalProcessorCount())
            .put("utilization", Math.round(load * 1000) / 10.0))
        .put("memory", new JsonObject().put("total", total).put("used", total - memory.getAvailable()));
  }
}
