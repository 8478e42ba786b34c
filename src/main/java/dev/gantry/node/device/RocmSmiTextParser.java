package dev.gantry.node.device;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code rocm-smi}'s non-JSON forms: {@code --csv} (a {@code device,...} header, rows per
 * {@code cardN} or {@code cardsystem}) and the text form ({@code GPU[0] : Card Series: AMD Instinct ...}).
 */
public final class RocmSmiTextParser {

  private static final Pattern GPU_LINE = Pattern.compile("^GPU\\[(\\d+)]\\s*:\\s*([^:]+?):\\s*(.*?)\\s*$");

  private RocmSmiTextParser() {
  }

  /** Rows of {@code rocm-smi --csv} by their {@code device} cell ({@code card0}, {@code cardsystem}), as column to value. */
  public static Map<String, Map<String, String>> csv(String output) {
    Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    List<String> header = null;
    for (String line : output.lines().toList()) {
      List<String> cells = List.of(line.split(",", -1));
      if (cells.get(0).strip().equals("device")) {
        header = cells.stream().map(String::strip).toList();
      } else if (header != null && cells.size() == header.size()) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 1; i < cells.size(); i++) {
          row.put(header.get(i), cells.get(i).strip());
        }
        rows.put(cells.get(0).strip(), row);
      }
    }
    return rows;
  }

  /** The {@code GPU[N] : Key: value} lines, per GPU. */
  public static Map<Integer, Map<String, String>> gpuLines(String output) {
    Map<Integer, Map<String, String>> gpus = new TreeMap<>();
    for (String line : output.lines().toList()) {
      Matcher m = GPU_LINE.matcher(line);
      if (m.matches()) {
        gpus.computeIfAbsent(Integer.parseInt(m.group(1)), i -> new LinkedHashMap<>()).put(m.group(2).strip(), m.group(3));
      }
    }
    return gpus;
  }
}
