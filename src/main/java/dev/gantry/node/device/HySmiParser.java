package dev.gantry.node.device;

import dev.gantry.common.DeviceVendor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads the plain table of Hygon's {@code hy-smi} and DTK's {@code rocm-smi} ({@code DCU Temp AvgPwr ...
 * VRAM% DCU% ...}) by column name: temperature ({@code 49.0C}, {@code 30.0c}), average power, DCU use.
 */
public final class HySmiParser {

  private static final Pattern SPACES = Pattern.compile("\\s+");

  private HySmiParser() {
  }

  public static List<Device> parse(String node, String output) {
    List<String> header = null;
    List<Device> devices = new ArrayList<>();
    for (String line : output.lines().map(String::strip).toList()) {
      List<String> cells = line.isEmpty() ? List.of() : List.of(SPACES.split(line));
      if (!cells.isEmpty() && (cells.get(0).equals("DCU") || cells.get(0).equals("HCU") || cells.get(0).equals("GPU"))) {
        header = cells;
      } else if (header != null && cells.size() == header.size() && cells.get(0).matches("\\d+")) {
        DeviceBuilder d = new DeviceBuilder(DeviceVendor.HYGON, Integer.parseInt(cells.get(0)));
        for (int i = 1; i < cells.size(); i++) {
          String value = cells.get(i);
          switch (header.get(i).toUpperCase(Locale.ROOT)) {
            case "TEMP" -> d.temperature = Readings.integer(value);
            case "AVGPWR" -> d.power = Readings.number(value);
            case "DCU%", "HCU%", "GPU%" -> d.utilization = Readings.integer(value);
            default -> {
            }
          }
        }
        devices.add(d.build(node));
      }
    }
    return devices;
  }
}
