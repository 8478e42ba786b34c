package dev.gantry.node.device;

import dev.gantry.common.DeviceVendor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Moore Threads' {@code mthreads-gmi} table by header names: {@code ID}, {@code Name}, {@code PCIe},
 * {@code %GPU}, {@code Mem} ({@code 0MiB(81920MiB)}: used, then total), {@code Temp}; the banner gives the
 * tool and driver versions.
 */
public final class MthreadsGmiParser {

  private static final Pattern DRIVER = Pattern.compile("Driver Version:\\s*(\\S+)");
  private static final Pattern MEMORY = Pattern.compile("^\\s*([\\d.]+\\s*[A-Za-z]*)\\(([\\d.]+\\s*[A-Za-z]*)\\)\\s*$");

  private MthreadsGmiParser() {
  }

  public static List<Device> parse(String node, String output) {
    Matcher driver = DRIVER.matcher(output);
    String driverVersion = driver.find() ? driver.group(1) : null;
    List<Device> devices = new ArrayList<>();
    for (Map<String, String> r : BoxTable.records(output, BoxTable.PLUS_DASH)) {
      String id = r.get("ID");
      if (id == null || !id.matches("\\d+")) {
        continue;
      }
      DeviceBuilder d = new DeviceBuilder(DeviceVendor.MTHREADS, Integer.parseInt(id));
      d.name = Readings.text(r.get("Name"));
      d.busId = Readings.text(r.get("PCIe"));
      d.utilization = Readings.integer(r.get("%GPU"));
      d.temperature = Readings.integer(r.get("Temp"));
      Matcher memory = MEMORY.matcher(r.getOrDefault("Mem", ""));
      if (memory.matches()) {
        d.memoryUsed = Readings.bytes(memory.group(1), "MiB");
        d.memoryTotal = Readings.bytes(memory.group(2), "MiB");
      }
      d.driverVersion = driverVersion;
      devices.add(d.build(node));
    }
    return devices;
  }
}
