package dev.gantry.node.device;

import dev.gantry.common.DeviceVendor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code nvidia-smi}-style table of Iluvatar's {@code ixsmi} by header names ({@code GPU},
 * {@code Name}, {@code Bus-Id}, {@code Temp}, {@code Pwr:Usage/Cap}, {@code Memory-Usage}, {@code GPU-Util});
 * the banner gives the driver and CUDA-compatible runtime versions. A dual-chip card (BI-V150) shows
 * one row per chip.
 */
public final class IxsmiParser {

  private static final Pattern DRIVER = Pattern.compile("Driver Version:\\s*(\\S+)");
  private static final Pattern CUDA = Pattern.compile("CUDA Version:\\s*(\\S+)");

  private IxsmiParser() {
  }

  public static List<Device> parse(String node, String output) {
    Matcher driver = DRIVER.matcher(output);
    Matcher cuda = CUDA.matcher(output);
    String driverVersion = driver.find() ? driver.group(1) : null;
    String cudaVersion = cuda.find() ? cuda.group(1) : null;
    List<Device> devices = new ArrayList<>();
    for (Map<String, String> r : BoxTable.records(output, BoxTable.EQUALS)) {
      String gpu = r.get("GPU");
      if (gpu == null || !gpu.matches("\\d+") || !r.containsKey("Memory-Usage")) {
        continue;
      }
      DeviceBuilder d = new DeviceBuilder(DeviceVendor.ILUVATAR, Integer.parseInt(gpu));
      d.name = Readings.text(r.get("Name"));
      d.busId = Readings.text(r.get("Bus-Id"));
      d.temperature = Readings.integer(r.get("Temp"));
      d.power = Readings.number(r.getOrDefault("Pwr:Usage/Cap", "").split("/")[0]);
      Long[] memory = Readings.usedAndTotal(r.get("Memory-Usage"), "MiB");
      d.memoryUsed = memory[0];
      d.memoryTotal = memory[1];
      d.utilization = Readings.integer(r.get("GPU-Util"));
      d.driverVersion = driverVersion;
      d.runtimeVersion = cudaVersion;
      devices.add(d.build(node));
    }
    return devices;
  }
}
