package dev.gantry.node.device;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the output of {@code nvidia-smi --query-gpu=<QUERY> --format=csv,noheader,nounits} into
 * {@link Device}s, one per line. A value the driver cannot give ({@code [N/A]},
 * {@code [Not Supported]}, {@code [Unknown Error]}, ...) becomes null. Lines that are not GPU rows
 * (warnings such as {@code WARNING: infoROM is corrupted}, {@code No devices were found}, driver
 * errors) are skipped. Units are tolerated in case {@code nounits} is missing.
 */
public final class NvidiaSmiCsvParser {

  /** The fields asked for, in the order the parser reads them. */
  public static final String QUERY =
      "index,name,uuid,memory.total,memory.used,utilization.gpu,temperature.gpu,power.draw";

  private static final int FIELDS = 8;
  private static final int TRAILING_FIELDS = FIELDS - 2;
  private static final long MIB = 1L << 20;
  private static final Pattern INDEX = Pattern.compile("\\d{1,6}");
  private static final Pattern NUMBER = Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\s*(?:MiB|%|W|C)?");

  private NvidiaSmiCsvParser() {
  }

  /** Every GPU row of {@code output}, for devices of {@code node}. */
  public static List<Device> parse(String node, String output) {
    return output.lines().map(line -> parseLine(node, line)).flatMap(Optional::stream).toList();
  }

  /** The device of one row, or empty when the line is blank or not a GPU row. */
  public static Optional<Device> parseLine(String node, String line) {
    String[] parts = line.split(",", -1);
    if (parts.length < FIELDS) {
      return Optional.empty();
    }
    String indexText = parts[0].strip();
    if (!INDEX.matcher(indexText).matches()) {
      return Optional.empty();
    }
    int index = Integer.parseInt(indexText);
    // names have no commas today; should one appear, everything between index and uuid is the name
    String name = String.join(",", Arrays.copyOfRange(parts, 1, parts.length - TRAILING_FIELDS)).strip();
    String[] tail = Arrays.copyOfRange(parts, parts.length - TRAILING_FIELDS, parts.length);
    return Optional.of(new Device(Device.id(node, "cuda", index), "nvidia", "cuda", index, name,
        text(tail[0]), mebibytes(tail[1]), mebibytes(tail[2]), integer(tail[3]), integer(tail[4]),
        number(tail[5])));
  }

  private static String text(String value) {
    String v = value.strip();
    return v.isEmpty() || unavailable(v) ? null : v;
  }

  private static Long mebibytes(String value) {
    Double mib = number(value);
    return mib == null ? null : Math.round(mib * MIB);
  }

  private static Integer integer(String value) {
    Double number = number(value);
    return number == null ? null : (int) Math.round(number);
  }

  private static Double number(String value) {
    Matcher matcher = NUMBER.matcher(value.strip());
    return matcher.matches() ? Double.valueOf(matcher.group(1)) : null;
  }

  private static boolean unavailable(String value) {
    return (value.startsWith("[") && value.endsWith("]")) || value.equalsIgnoreCase("N/A");
  }
}
