package dev.gantry.node.device;

import dev.gantry.common.DeviceVendor;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code rocm-smi --showid --showmeminfo vram --showpower --showserial --showuse --showtemp
 * --showproductname --showuniqueid --json} (AMD) and the same from Hygon's {@code hy-smi}/DTK
 * {@code rocm-smi}: one object per {@code cardN}. Keys are matched by meaning, since versions spell them
 * differently: {@code GPU use (%)}, {@code DCU use (%)}, {@code HCU use (%)}; {@code VRAM Total Memory (B)}
 * in bytes, {@code vram Total Memory (MiB)} in MiB; {@code Card Series} or {@code Card series}. The
 * driver version ({@code --showdriverversion}) is under {@code system}.
 */
public final class RocmSmiJsonParser {

  private static final Pattern CARD = Pattern.compile("card(\\d+)");
  private static final Pattern MEMORY = Pattern.compile("vram total (used )?memory \\((b|mib|mb)\\)");
  private static final Pattern USE = Pattern.compile("(gpu|dcu|hcu) use \\(%\\)");

  private RocmSmiJsonParser() {
  }

  public static List<Device> parse(String node, DeviceVendor vendor, String output) {
    JsonObject json;
    int start = output.indexOf('{');
    int end = output.lastIndexOf('}');
    try {
      // banner or warning lines around the object (some versions print them on stdout) are left out
      json = new JsonObject(start < 0 || end < start ? output : output.substring(start, end + 1));
    } catch (DecodeException | ClassCastException e) {
      throw new DeviceParseException("rocm-smi --json output is not a JSON object (cut or mixed with text): "
          + e.getMessage(), e);
    }
    String driver = Readings.text(json.getJsonObject("system", new JsonObject()).getString("Driver version"));
    List<Device> devices = new ArrayList<>();
    for (Map.Entry<String, Object> card : json) {
      Matcher m = CARD.matcher(card.getKey());
      if (!m.matches() || !(card.getValue() instanceof JsonObject fields)) {
        continue;
      }
      DeviceBuilder d = new DeviceBuilder(vendor, Integer.parseInt(m.group(1)));
      d.driverVersion = driver;
      Double edge = null;
      Double anyTemperature = null;
      for (Map.Entry<String, Object> field : fields) {
        String key = field.getKey().toLowerCase(Locale.ROOT).strip();
        String value = String.valueOf(field.getValue());
        Matcher memory = MEMORY.matcher(key);
        if (memory.matches()) {
          Long bytes = Readings.bytes(value, memory.group(2).equals("b") ? "B" : "MiB");
          if (memory.group(1) == null) {
            d.memoryTotal = bytes;
          } else {
            d.memoryUsed = bytes;
          }
        } else if (USE.matcher(key).matches()) {
          d.utilization = Readings.integer(value);
        } else if (key.startsWith("temperature (sensor")) {
          Double t = Readings.number(value);
          anyTemperature = anyTemperature == null ? t : anyTemperature;
          edge = key.contains("edge") ? t : edge;
        } else if (key.contains("graphics package power (w)")) {
          d.power = Readings.number(value);
        } else if (key.equals("card series")) {
          d.name = Readings.text(value);
        } else if (key.equals("device name") && d.name == null) {
          d.name = Readings.text(value);
        } else if (key.equals("unique id")) {
          d.uuid = Readings.text(value);
        } else if (key.equals("serial number") && d.uuid == null) {
          d.uuid = Readings.text(value);
        } else if (key.equals("gfx version")) {
          d.architecture = Readings.text(value);
        }
      }
      Double temperature = edge != null ? edge : anyTemperature;
      d.temperature = temperature == null ? null : (int) Math.round(temperature);
      devices.add(d.build(node));
    }
    return devices;
  }
}
