package dev.gantry.node.device;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Reads the boxed tables of {@code nvidia-smi}-like tools ({@code npu-smi}, {@code ixsmi}, {@code cnmon},
 * {@code mx-smi}, {@code mthreads-gmi}) by header names, so column order and layout may drift between
 * versions. A table is a block of header rows closed by a header line (a {@code ===} border, or
 * {@code +---} for mthreads-gmi), then records of as many rows as there were header rows, separated by
 * border lines, until a blank line. Within a row, cells are split at {@code |}; within a cell, names
 * and values are split at two or more spaces (names also after a closing bracket), and the n-th value belongs to the n-th name. A cell with
 * a single name takes its whole text as value.
 */
final class BoxTable {

  private static final Pattern BORDER = Pattern.compile("^\\s*[+|]?[-=+|]{3,}\\s*$");
  private static final Pattern EQUALS_BORDER = Pattern.compile("^\\s*[+|]=+[=+|]*\\s*$");
  private static final Pattern PLUS_DASH_BORDER = Pattern.compile("^\\s*\\+-+\\+?\\s*$");
  private static final Pattern SPACES = Pattern.compile("\\s{2,}");
  /** Names are split at two spaces, or at one after a unit in brackets ({@code NPU Util(%) Memory-Usage(MB)}). */
  private static final Pattern NAME_GAP = Pattern.compile("\\s{2,}|(?<=\\))\\s+");
  private static final Pattern SLASH_BETWEEN_NUMBERS = Pattern.compile("(\\d)\\s*/\\s*(\\d)");

  /** Header lines closed by a {@code ===} border (npu-smi, ixsmi, cnmon, mx-smi). */
  static final Predicate<String> EQUALS = line -> EQUALS_BORDER.matcher(line).matches();
  /** Header lines closed by a {@code +---+} line (mthreads-gmi). */
  static final Predicate<String> PLUS_DASH = line -> PLUS_DASH_BORDER.matcher(line).matches();

  private BoxTable() {
  }

  /** Every record of every table in {@code text}, as header name to value (in the order met). */
  static List<Map<String, String>> records(String text, Predicate<String> headerEnd) {
    List<Map<String, String>> records = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    List<String> headers = null;
    List<String> group = new ArrayList<>();
    for (String line : text.lines().toList()) {
      if (headers == null) {
        if (headerEnd.test(line)) {
          headers = List.copyOf(pending);
          pending.clear();
        } else if (BORDER.matcher(line).matches() || line.isBlank()) {
          pending.clear();
        } else {
          pending.add(line);
        }
        continue;
      }
      if (line.isBlank() || BORDER.matcher(line).matches()) {
        flush(headers, group, records);
        if (line.isBlank()) {
          headers = null;
        }
      } else {
        group.add(line);
      }
    }
    if (headers != null) {
      flush(headers, group, records);
    }
    return records;
  }

  private static void flush(List<String> headers, List<String> group, List<Map<String, String>> records) {
    if (group.isEmpty()) {
      return;
    }
    Map<String, String> record = new LinkedHashMap<>();
    for (int row = 0; row < Math.min(headers.size(), group.size()); row++) {
      String[] names = headers.get(row).split("\\|", -1);
      String[] values = group.get(row).split("\\|", -1);
      for (int cell = 0; cell < Math.min(names.length, values.length); cell++) {
        read(names[cell], values[cell], record);
      }
    }
    group.clear();
    records.add(record);
  }

  private static void read(String namesCell, String valuesCell, Map<String, String> record) {
    String namesText = namesCell.strip();
    List<String> names = namesText.isEmpty() ? List.of() : List.of(NAME_GAP.split(namesText));
    if (names.size() == 1) {
      record.putIfAbsent(names.get(0), valuesCell.strip());
      return;
    }
    List<String> values = words(SLASH_BETWEEN_NUMBERS.matcher(valuesCell).replaceAll("$1/$2"));
    for (int i = 0; i < Math.min(names.size(), values.size()); i++) {
      record.putIfAbsent(names.get(i), values.get(i));
    }
  }

  private static List<String> words(String cell) {
    String stripped = cell.strip();
    return stripped.isEmpty() ? List.of() : List.of(SPACES.split(stripped));
  }
}
