package dev.gantry.node.device;

import dev.gantry.common.DeviceVendor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code nvidia-smi --query-gpu=... --format=csv} and Iluvatar's {@code ixsmi}, which copies it, by
 * column name: the header row ({@code memory.total [MiB]}) names the columns and their units; without one
 * ({@code noheader}) the columns asked for are given. Values may carry units ({@code 16376 MiB},
 * {@code 0 %}, {@code 30 C}) or not ({@code nounits}). Lines that are not device rows (warnings,
 * {@code No devices were found}) are skipped.
 */
public final class QueryGpuCsvParser {

  /** What Gantry asks nvidia-smi and ixsmi for. */
  public static final List<String> QUERY = List.of("index", "name", "uuid", "memory.total", "memory.used",
      "utilization.gpu", "temperature.gpu", "power.draw", "driver_version", "pci.bus_id");
  /** {@link #QUERY} plus compute capability (drivers from 510 on). */
  public static final List<String> QUERY_WITH_CAPABILITY = with(QUERY, "compute_cap");
  /** {@link #QUERY_WITH_CAPABILITY} plus uncorrected ECC errors (null where ECC is off: {@code [N/A]}). */
  public static final List<String> QUERY_WITH_ECC = with(QUERY_WITH_CAPABILITY, "ecc.errors.uncorrected.volatile.total");
  /** {@link #QUERY_WITH_ECC} plus whether the GPU is in MIG mode (nvidia-smi only; old drivers refuse the field). */
  public static final List<String> QUERY_WITH_MIG = with(QUERY_WITH_ECC, "mig.mode.current");
  /**
   * The partition a GPU whose {@code mig.mode.current} is {@code Enabled} is read with: the whole GPU, which
   * {@link NvidiaMigDevices} replaces by its MIG devices (it is never offered for placement itself).
   */
  public static final String MIG_MODE = "MIG mode";

  private static final Set<String> KNOWN = Set.of("index", "name", "gpu_name", "uuid", "memory.total",
      "memory.used", "memory.free", "utilization.gpu", "temperature.gpu", "power.draw", "driver_version",
      "pci.bus_id", "compute_cap", "utilization.memory", "ecc.errors.uncorrected.volatile.total", "mig.mode.current");
  private static final Pattern HEADER = Pattern.compile("([a-z_.]+)(?:\\s*\\[([^]]+)])?");
  private static final Pattern INDEX = Pattern.compile("\\d{1,6}");

  private QueryGpuCsvParser() {
  }

  /** Every device row of {@code output}; {@code columns} name the fields when the output has no header. */
  public static List<Device> parse(String node, DeviceVendor vendor, String output, List<String> columns) {
    List<String> names = columns;
    List<String> units = columns.stream().map(c -> "").toList();
    List<Device> devices = new ArrayList<>();
    for (String line : output.lines().toList()) {
      List<String> fields = List.of(line.split(",", -1)).stream().map(String::strip).toList();
      if (isHeader(fields)) {
        names = new ArrayList<>();
        units = new ArrayList<>();
        for (String field : fields) {
          Matcher m = HEADER.matcher(field.toLowerCase(Locale.ROOT));
          names.add(m.matches() ? m.group(1) : field);
          units.add(m.matches() && m.group(2) != null ? m.group(2) : "");
        }
        continue;
      }
      fields = nameWithCommas(fields, names);
      if (fields.size() != names.size()) {
        continue;
      }
      int index = names.indexOf("index");
      if (index >= 0 && !INDEX.matcher(fields.get(index)).matches()) {
        continue;
      }
      DeviceBuilder d = new DeviceBuilder(vendor, index >= 0 ? Integer.parseInt(fields.get(index)) : devices.size());
      for (int i = 0; i < names.size(); i++) {
        read(d, names.get(i), fields.get(i), units.get(i));
      }
      devices.add(d.build(node));
    }
    return devices;
  }

  /** A name holding commas spans more fields than there are columns: those fields are the name. */
  private static List<String> nameWithCommas(List<String> fields, List<String> names) {
    int extra = fields.size() - names.size();
    int name = names.indexOf("name");
    if (extra <= 0 || name < 0) {
      return fields;
    }
    List<String> out = new ArrayList<>(fields.subList(0, name));
    out.add(String.join(", ", fields.subList(name, name + extra + 1)));
    out.addAll(fields.subList(name + extra + 1, fields.size()));
    return out;
  }

  private static void read(DeviceBuilder d, String name, String value, String unit) {
    String memoryUnit = unit.isEmpty() ? "MiB" : unit;
    switch (name) {
      case "name", "gpu_name" -> d.name = Readings.text(value);
      case "uuid" -> d.uuid = Readings.text(value);
      case "memory.total" -> d.memoryTotal = Readings.bytes(value, memoryUnit);
      case "memory.used" -> d.memoryUsed = Readings.bytes(value, memoryUnit);
      case "utilization.gpu" -> d.utilization = Readings.integer(value);
      case "temperature.gpu" -> d.temperature = Readings.integer(value);
      case "power.draw" -> d.power = Readings.number(value);
      case "driver_version" -> d.driverVersion = Readings.text(value);
      case "compute_cap" -> d.architecture = Readings.text(value);
      case "pci.bus_id" -> d.busId = Readings.text(value);
      case "mig.mode.current" -> d.partition = "enabled".equalsIgnoreCase(value.strip()) ? MIG_MODE : null;
      case "ecc.errors.uncorrected.volatile.total" -> {
        Integer ecc = Readings.integer(value);
        d.eccErrors = ecc == null ? null : ecc.longValue();
      }
      default -> {
      }
    }
  }

  private static boolean isHeader(List<String> fields) {
    return fields.stream().anyMatch(f -> {
      Matcher m = HEADER.matcher(f.toLowerCase(Locale.ROOT));
      return m.matches() && KNOWN.contains(m.group(1));
    }) && fields.stream().noneMatch(f -> INDEX.matcher(f).matches());
  }

  private static List<String> with(List<String> list, String extra) {
    List<String> out = new ArrayList<>(list);
    out.add(extra);
    return List.copyOf(out);
  }
}
