package dev.gantry.node.device;

import dev.gantry.common.DeviceVendor;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads AMD's {@code amd-smi}: the text of {@code list} and {@code static} (one {@code GPU: N} block per
 * logical GPU, so each partition of an MI300 in CPX mode is a device of its own (its partition says
 * {@code CPX}, {@code DPX}, ...; {@code SPX}, the whole GPU, is no partition), then indented
 * {@code SECTION:} and {@code KEY: value} lines) and {@code metric -p --json} (values as
 * {@code {value, unit}}).
 */
public final class AmdSmiParser {

  private static final Pattern GPU = Pattern.compile("^GPU:\\s*(\\d+)\\s*$");
  private static final Pattern KEY_VALUE = Pattern.compile("^(\\s*)([A-Z0-9_]+):\\s*(.*?)\\s*$");
  private static final Pattern ZEROS = Pattern.compile("(0x)?0+");

  private AmdSmiParser() {
  }

  /** Each {@code GPU: N} block as {@code SECTION.KEY} (or {@code KEY} at the top) to value. */
  public static Map<Integer, Map<String, String>> blocks(String output) {
    Map<Integer, Map<String, String>> gpus = new TreeMap<>();
    Map<String, String> current = null;
    String section = null;
    for (String line : output.lines().toList()) {
      Matcher gpu = GPU.matcher(line);
      if (gpu.matches()) {
        current = new LinkedHashMap<>();
        gpus.put(Integer.parseInt(gpu.group(1)), current);
        section = null;
        continue;
      }
      Matcher kv = KEY_VALUE.matcher(line);
      if (current == null || !kv.matches()) {
        continue;
      }
      if (kv.group(3).isEmpty()) {
        section = kv.group(2);
      } else {
        boolean nested = section != null && kv.group(1).length() > 4;
        current.put(nested ? section + "." + kv.group(2) : kv.group(2), kv.group(3));
        section = nested ? section : null;
      }
    }
    return gpus;
  }

  /** The devices of {@code amd-smi list} and/or {@code amd-smi static} text (either or both, concatenated). */
  public static List<Device> parse(String node, String output) {
    List<Device> devices = new ArrayList<>();
    blocks(output).forEach((index, f) -> {
      DeviceBuilder d = new DeviceBuilder(DeviceVendor.AMD, index);
      d.name = Readings.text(f.get("ASIC.MARKET_NAME"));
      d.architecture = Readings.text(f.get("ASIC.TARGET_GRAPHICS_VERSION"));
      d.uuid = Readings.text(f.get("UUID"));
      String serial = Readings.text(f.get("ASIC.ASIC_SERIAL"));
      if (d.uuid == null && serial != null && !ZEROS.matcher(serial).matches()) {
        d.uuid = serial;
      }
      d.busId = Readings.text(f.getOrDefault("BDF", f.get("BUS.BDF")));
      d.driverVersion = Readings.text(f.get("DRIVER.VERSION"));
      String partition = Readings.text(f.get("PARTITION.COMPUTE_PARTITION"));
      d.partition = "SPX".equals(partition) ? null : partition;
      devices.add(d.build(node));
    });
    return devices;
  }

  /** Socket power in watts per GPU index from {@code amd-smi metric -p --json}. */
  public static Map<Integer, Double> socketPower(String json) {
    JsonArray gpus;
    try {
      gpus = new JsonArray(json.strip());
    } catch (DecodeException e) {
      throw new DeviceParseException("amd-smi metric --json output is not a JSON array: " + e.getMessage(), e);
    }
    Map<Integer, Double> power = new TreeMap<>();
    for (Object o : gpus) {
      if (o instanceof JsonObject gpu && gpu.getValue("gpu") instanceof Number index) {
        Object socket = gpu.getJsonObject("power", new JsonObject()).getValue("socket_power");
        Double watts = socket instanceof JsonObject v ? Readings.number(String.valueOf(v.getValue("value")))
            : socket == null ? null : Readings.number(String.valueOf(socket));
        power.put(index.intValue(), watts);
      }
    }
    return power;
  }
}
