package dev.gantry.node.device;

import dev.gantry.common.DeviceVendor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads MetaX's {@code mx-smi}: the table of 2.1.x ({@code GPU NAME | Bus-id | GPU-Util}, {@code Temp Power})
 * and of 2.2.x ({@code Board Name | GPU Persist-M | Bus-id | GPU-Util sGPU-M}, {@code Pwr:Usage/Cap |
 * Temp Perf | Memory-Usage | GPU-State}) by header names, and {@code mx-smi -L}. The banner gives the
 * kernel mode driver and MACA versions.
 */
public final class MxSmiParser {

  private static final Pattern DRIVER = Pattern.compile("Kernel Mode Driver Version:\\s*(\\S+)");
  private static final Pattern MACA = Pattern.compile("MACA Version:\\s*(\\S+)");
  private static final Pattern LIST_LINE =
      Pattern.compile("^GPU#(\\d+)\\s+(\\S+)\\s+(\\S+)\\s+(.+?)\\s+\\(UUID: (\\S+)\\)\\s*$");

  private MxSmiParser() {
  }

  public static List<Device> parse(String node, String output) {
    Matcher driver = DRIVER.matcher(output);
    Matcher maca = MACA.matcher(output);
    String driverVersion = driver.find() ? driver.group(1) : null;
    String macaVersion = maca.find() ? maca.group(1) : null;
    List<Device> devices = new ArrayList<>();
    for (Map<String, String> r : BoxTable.records(output, BoxTable.EQUALS)) {
      String gpu = r.get("GPU");
      if (gpu == null || !gpu.matches("\\d+") || !r.containsKey("Bus-id")) {
        continue;
      }
      DeviceBuilder d = new DeviceBuilder(DeviceVendor.METAX, Integer.parseInt(gpu));
      d.name = Readings.text(r.getOrDefault("Name", r.get("NAME")));
      d.busId = Readings.text(r.get("Bus-id"));
      d.utilization = Readings.integer(r.get("GPU-Util"));
      d.temperature = Readings.integer(r.get("Temp"));
      d.power = Readings.number(r.getOrDefault("Pwr:Usage/Cap", r.getOrDefault("Power", "")).split("/")[0]);
      Long[] memory = Readings.usedAndTotal(r.get("Memory-Usage"), "MiB");
      d.memoryUsed = memory[0];
      d.memoryTotal = memory[1];
      d.health = Readings.text(r.get("GPU-State"));
      d.driverVersion = driverVersion;
      d.runtimeVersion = macaVersion;
      devices.add(d.build(node));
    }
    return devices;
  }

  /** The GPUs of {@code mx-smi -L}: index, name, bus id, state as health, UUID. */
  public static List<Device> list(String node, String output) {
    List<Device> devices = new ArrayList<>();
    for (String line : output.lines().toList()) {
      Matcher m = LIST_LINE.matcher(line);
      if (m.matches()) {
        DeviceBuilder d = new DeviceBuilder(DeviceVendor.METAX, Integer.parseInt(m.group(1)));
        d.name = m.group(2);
        d.busId = m.group(3);
        d.health = m.group(4);
        d.uuid = m.group(5);
        devices.add(d.build(node));
      }
    }
    return devices;
  }
}
