package dev.gantry.catalog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parameter grid for a "find the best spec" run: per model field, the alternatives to try, e.g.
 * {@code {"backend_parameters": [["--ctx-size","2048"],["--ctx-size","4096"]], "replicas": [1, 2]}}. The
 * candidates are every combination (at most {@link #MAX_CANDIDATES}). A {@code backend_parameters}
 * alternative is added after the base spec's own parameters; {@code env} alternatives are merged into its
 * env; every other field replaces the base's value.
 */
public final class CandidateGrid {

  public static final int MAX_CANDIDATES = 8;
  /** The model fields a grid may vary: how the model runs, never what it is or who may call it. */
  public static final Set<String> FIELDS = Set.of("backend_parameters", "replicas", "env", "context_length",
      "devices_per_replica", "kv_cache", "speculative", "backend_version");

  private CandidateGrid() {
  }

  /**
   * Every combination of the grid's alternatives, in order (the first field varies slowest).
   *
   * @throws IllegalArgumentException naming the field when the grid is malformed or too large
   */
  public static List<JsonObject> candidates(JsonObject grid) {
    if (grid == null || grid.isEmpty()) {
      throw new IllegalArgumentException("grid needs at least one field with alternatives, e.g. {\"replicas\": [1, 2]}");
    }
    long total = 1;
    for (Map.Entry<String, Object> field : grid) {
      if (!FIELDS.contains(field.getKey())) {
        throw new IllegalArgumentException("grid." + field.getKey() + ": a grid may vary only " + FIELDS.stream().sorted().toList());
      }
      if (!(field.getValue() instanceof JsonArray alternatives) || alternatives.isEmpty()) {
        throw new IllegalArgumentException("grid." + field.getKey() + " must be a non-empty list of alternatives");
      }
      for (Object alternative : alternatives) {
        check(field.getKey(), alternative);
      }
      total *= alternatives.size();
      if (total > MAX_CANDIDATES) {
        throw new IllegalArgumentException("grid: " + describeSize(grid) + " candidates; at most " + MAX_CANDIDATES
            + " are allowed (each one is deployed and benchmarked in turn): drop some alternatives");
      }
    }
    List<JsonObject> combos = new ArrayList<>();
    combos.add(new JsonObject());
    for (Map.Entry<String, Object> field : grid) {
      List<JsonObject> next = new ArrayList<>();
      for (JsonObject combo : combos) {
        for (Object alternative : (JsonArray) field.getValue()) {
          next.add(combo.copy().put(field.getKey(), alternative));
        }
      }
      combos = next;
    }
    return combos;
  }

  /** The model body of one candidate: the base with the candidate's values applied (base untouched). */
  public static JsonObject apply(JsonObject base, JsonObject values) {
    JsonObject model = base.copy();
    for (Map.Entry<String, Object> value : values) {
      switch (value.getKey()) {
        case "backend_parameters" -> {
          JsonArray parameters = model.getJsonArray("backend_parameters", new JsonArray()).copy();
          ((JsonArray) value.getValue()).forEach(parameters::add);
          model.put("backend_parameters", parameters);
        }
        case "env" -> model.put("env", model.getJsonObject("env", new JsonObject()).copy().mergeIn((JsonObject) value.getValue()));
        default -> model.put(value.getKey(), value.getValue() instanceof JsonObject o ? o.copy() : value.getValue());
      }
    }
    return model;
  }

  private static void check(String field, Object alternative) {
    boolean ok = switch (field) {
      case "backend_parameters" -> alternative instanceof JsonArray words && words.size() <= 64
          && words.stream().allMatch(w -> w instanceof String s && s.length() <= 1024);
      case "replicas" -> alternative instanceof Integer n && n >= 1 && n <= 16;
      case "devices_per_replica", "context_length" -> alternative instanceof Integer n && n >= 0;
      case "backend_version" -> alternative instanceof String s && s.length() <= 128;
      default -> alternative instanceof JsonObject || (alternative == null && !field.equals("env"));
    };
    if (!ok) {
      throw new IllegalArgumentException("grid." + field + ": " + alternative + " is not a valid alternative ("
          + switch (field) {
            case "backend_parameters" -> "each alternative is a list of strings, e.g. [\"--ctx-size\", \"4096\"]";
            case "replicas" -> "a whole number from 1 to 16";
            case "devices_per_replica", "context_length" -> "a whole number >= 0";
            case "backend_version" -> "a version string";
            default -> "an object";
          } + ")");
    }
  }

  private static String describeSize(JsonObject grid) {
    long total = 1;
    for (Map.Entry<String, Object> field : grid) {
      total *= field.getValue() instanceof JsonArray a ? Math.max(1, a.size()) : 1;
    }
    return String.valueOf(total);
  }
}
