package dev.gantry.engine.tuning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model's {@code speculative} and {@code kv_cache} fields become for one engine: options for its
 * command line, variables for its environment, and (MindIE, which has no command line) values for its
 * generated config.json keyed {@code section.key} as in {@code MindieBackend}.
 */
public record TuningOptions(List<String> argv, Map<String, String> env, Map<String, Object> config) {

  public static TuningOptions empty() {
    return new TuningOptions(new ArrayList<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
  }

  TuningOptions add(String... words) {
    argv.addAll(List.of(words));
    return this;
  }

  /** A number as engines read it: {@code 4} rather than {@code 4.0}. */
  static String number(double value) {
    return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
  }
}
