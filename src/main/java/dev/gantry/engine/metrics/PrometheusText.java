package dev.gantry.engine.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Prometheus text exposition (version 0.0.4, what vLLM, SGLang, MindIE and llama-server serve):
 * one sample per line, {@code name{label="value",...} number [timestamp]}; comments and lines it cannot
 * read are skipped, so one odd line never loses the rest of a scrape.
 */
public final class PrometheusText {

  /** One sample: metric name (with any {@code _total}, {@code _sum}, {@code _count} suffix), labels, value. */
  public record Sample(String name, Map<String, String> labels, double value) {
  }

  public static List<Sample> parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String raw : text.split("\n")) {
      String line = raw.trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Sample sample = sample(line);
      if (sample != null) {
        out.add(sample);
      }
    }
    return out;
  }

  private static Sample sample(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    Map<String, String> labels = new LinkedHashMap<>();
    String name;
    String rest;
    if (brace >= 0 && (space < 0 || brace < space)) {
      int close = labelsEnd(line, brace);
      if (close < 0) {
        return null;
      }
      name = line.substring(0, brace);
      readLabels(line.substring(brace + 1, close), labels);
      rest = line.substring(close + 1).trim();
    } else if (space > 0) {
      name = line.substring(0, space);
      rest = line.substring(space + 1).trim();
    } else {
      return null;
    }
    String number = rest.split("\\s+")[0];
    try {
      return new Sample(name, labels, parseValue(number));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static double parseValue(String number) {
    return switch (number) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(number);
    };
  }

  /** The closing brace of the label set, skipping braces inside quoted values. */
  private static int labelsEnd(String line, int open) {
    boolean quoted = false;
    for (int i = open + 1; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && quoted) {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == '}' && !quoted) {
        return i;
      }
    }
    return -1;
  }

  private static void readLabels(String text, Map<String, String> labels) {
    int i = 0;
    while (i < text.length()) {
      int equals = text.indexOf('=', i);
      if (equals < 0 || equals + 1 >= text.length() || text.charAt(equals + 1) != '"') {
        return;
      }
      String key = text.substring(i, equals).trim().replaceFirst("^,", "").trim();
      StringBuilder value = new StringBuilder();
      int j = equals + 2;
      for (; j < text.length() && text.charAt(j) != '"'; j++) {
        char c = text.charAt(j);
        if (c == '\\' && j + 1 < text.length()) {
          char next = text.charAt(++j);
          value.append(next == 'n' ? '\n' : next);
        } else {
          value.append(c);
        }
      }
      labels.put(key, value.toString());
      i = j + 1;
      while (i < text.length() && (text.charAt(i) == ',' || text.charAt(i) == ' ')) {
        i++;
      }
    }
  }

  private PrometheusText() {
  }
}
