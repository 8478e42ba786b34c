package dev.gantry.node.device;

import dev.gantry.common.DeviceVendor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Huawei Ascend's {@code npu-smi}: the {@code info} table (one record per chip: a board with
 * several chips, such as an Atlas 300I with four Ascend 310, gives one device per chip), the
 * {@code info -m} chip mapping, and the {@code info -t board|common|usages -i N} key/value lists. A chip's
 * index is its logic id (what {@code ASCEND_RT_VISIBLE_DEVICES} takes): the table's {@code Device} column
 * where it has one, else the chip's place in the table.
 */
public final class NpuSmiParser {

  private static final Pattern VERSION = Pattern.compile("Version:\\s*(\\S+)");
  private static final Pattern NUMBER = Pattern.compile("\\d+");
  private static final Pattern SPACES = Pattern.compile("\\s{2,}");
  private static final Pattern KEY_VALUE = Pattern.compile("^\\s*(.+?)\\s*:\\s*(.*?)\\s*$");

  /** A row of {@code npu-smi info -m}: NPU id, chip id, logic id (null for the MCU), chip name. */
  public record Chip(int npu, int chip, Integer logicId, String name) {
  }

  private NpuSmiParser() {
  }

  /** The chips of {@code npu-smi info}; a table cut short gives the chips read before the cut. */
  public static List<Device> info(String node, String output) {
    Matcher version = VERSION.matcher(output);
    String driver = version.find() ? version.group(1) : null;
    List<Device> devices = new ArrayList<>();
    for (Map<String, String> r : BoxTable.records(output, BoxTable.EQUALS)) {
      String npu = r.getOrDefault("NPU", r.get("NPU ID"));
      if (npu == null || !NUMBER.matcher(npu).matches()) {
        continue;
      }
      String logic = r.get("Device");
      int index = logic != null && NUMBER.matcher(logic).matches() ? Integer.parseInt(logic) : devices.size();
      DeviceBuilder d = new DeviceBuilder(DeviceVendor.ASCEND, index);
      d.name = Readings.text(r.get("Name"));
      d.health = Readings.text(r.get("Health"));
      d.power = Readings.number(r.get("Power(W)"));
      d.temperature = Readings.integer(r.get("Temp(C)"));
      d.busId = Readings.text(r.get("Bus-Id"));
      d.utilization = Readings.integer(r.getOrDefault("AICore(%)", r.get("NPU Util(%)")));
      Long[] hbm = Readings.usedAndTotal(r.get("HBM-Usage(MB)"), "MiB");
      Long[] memory = hbm[1] != null && hbm[1] > 0 ? hbm : Readings.usedAndTotal(r.get("Memory-Usage(MB)"), "MiB");
      d.memoryUsed = memory[0];
      d.memoryTotal = memory[1];
      d.driverVersion = driver;
      devices.add(d.build(node));
    }
    return devices;
  }

  /** The chips of {@code npu-smi info -m}, MCUs included (their logic id is null). */
  public static List<Chip> mapping(String output) {
    List<String> header = null;
    List<Chip> chips = new ArrayList<>();
    for (String line : output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
      List<String> cells = List.of(SPACES.split(line));
      if (cells.contains("NPU ID")) {
        header = cells;
      } else if (header != null && cells.size() == header.size() && NUMBER.matcher(cells.get(0)).matches()) {
        String logic = cells.get(header.indexOf("Chip Logic ID"));
        chips.add(new Chip(Integer.parseInt(cells.get(header.indexOf("NPU ID"))),
            Integer.parseInt(cells.get(header.indexOf("Chip ID"))),
            NUMBER.matcher(logic).matches() ? Integer.valueOf(logic) : null, cells.get(header.indexOf("Chip Name"))));
      }
    }
    return chips;
  }

  /**
   * The blocks of {@code npu-smi info -t ...} (separated by blank lines) as key to value. In
   * {@code usages} a chip's values come before its {@code Chip ID} line, in {@code common} after it; both
   * end up in the same block.
   */
  public static List<Map<String, String>> details(String output) {
    List<Map<String, String>> blocks = new ArrayList<>();
    Map<String, String> block = new LinkedHashMap<>();
    for (String line : output.lines().toList()) {
      Matcher kv = KEY_VALUE.matcher(line);
      if (line.isBlank()) {
        if (!block.isEmpty()) {
          blocks.add(block);
          block = new LinkedHashMap<>();
        }
      } else if (kv.matches()) {
        block.put(kv.group(1), kv.group(2));
      }
    }
    if (!block.isEmpty()) {
      blocks.add(block);
    }
    return blocks;
  }

  /** The blocks of {@link #details(String)} that describe a chip, by chip id. */
  public static Map<Integer, Map<String, String>> perChip(String output) {
    Map<Integer, Map<String, String>> chips = new LinkedHashMap<>();
    for (Map<String, String> block : details(output)) {
      String chip = block.get("Chip ID");
      if (chip != null && NUMBER.matcher(chip).matches()) {
        chips.put(Integer.parseInt(chip), block);
      }
    }
    return chips;
  }
}
