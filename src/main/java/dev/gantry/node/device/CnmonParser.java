package dev.gantry.node.device;

import dev.gantry.common.DeviceVendor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Cambricon's {@code cnmon} table by header names ({@code Card}, {@code Name}, {@code Firmware},
 * {@code Bus-Id}, {@code Util}, {@code Temp}, {@code Pwr:Usage/Cap}, {@code Memory-Usage}); the driver
 * version is in the banner ({@code Driver v5.10.13}) or, in v4, in a {@code Driver} column. Each chip of
 * a dual-chip MLU370-X8 is its own row, so its own device.
 */
public final class CnmonParser {

  private static final Pattern DRIVER = Pattern.compile("Driver\\s+v(\\S+)");

  private CnmonParser() {
  }

  public static List<Device> parse(String node, String output) {
    Matcher banner = DRIVER.matcher(output);
    String driver = banner.find() ? banner.group(1) : null;
    List<Device> devices = new ArrayList<>();
    for (Map<String, String> r : BoxTable.records(output, BoxTable.EQUALS)) {
      String card = r.get("Card");
      if (card == null || !card.matches("\\d+")) {
        continue;
      }
      DeviceBuilder d = new DeviceBuilder(DeviceVendor.CAMBRICON, Integer.parseInt(card));
      d.name = Readings.text(r.get("Name"));
      d.busId = Readings.text(r.get("Bus-Id"));
      d.utilization = Readings.integer(r.get("Util"));
      Integer ecc = Readings.integer(r.get("Ecc-Error"));
      d.eccErrors = ecc == null ? null : ecc.longValue();
      d.temperature = Readings.integer(r.get("Temp"));
      d.power = Readings.number(r.getOrDefault("Pwr:Usage/Cap", "").split("/")[0]);
      Long[] memory = Readings.usedAndTotal(r.get("Memory-Usage"), "MiB");
      d.memoryUsed = memory[0];
      d.memoryTotal = memory[1];
      String column = Readings.text(r.get("Driver"));
      d.driverVersion = driver != null ? driver : column == null ? null : column.replaceFirst("^v", "");
      devices.add(d.build(node));
    }
    return devices;
  }
}
