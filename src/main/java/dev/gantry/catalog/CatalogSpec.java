package dev.gantry.catalog;

import dev.gantry.cluster.NodeRecord;
import dev.gantry.engine.backend.EngineVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One tuned way to run a model family: a mode ({@code standard}, {@code throughput}, {@code latency}),
 * the hardware it is for, the engine versions it was tuned on ({@code backend_versions}, e.g.
 * {@code ">=0.8.5 <0.12"}) and the model body it deploys ({@code POST /v2/models} without the name,
 * which the family gives). A spec may carry a {@code grid} ({@link CandidateGrid}) for "find the best
 * spec" runs; a spec such a run recorded carries what was {@code measured} (shown as {@code source:
 * "measured"} with its figures).
 */
public record CatalogSpec(String id, String mode, HardwareFilter hardware, String backendVersions, JsonObject model,
    String notes, JsonObject grid, JsonObject measured) {

  public CatalogSpec(String id, String mode, HardwareFilter hardware, String backendVersions, JsonObject model,
      String notes) {
    this(id, mode, hardware, backendVersions, model, notes, null, null);
  }

  public static final List<String> MODES = List.of("standard", "throughput", "latency");
  private static final Set<String> UNVERSIONED = Set.of("builtin", "llama.cpp", "custom");

  public static CatalogSpec from(JsonObject json) {
    String id = json.getString("id");
    if (id == null || !id.matches("[a-z0-9][a-z0-9._-]{0,80}")) {
      throw new IllegalArgumentException("spec id must be lower-case letters, digits and . _ -, got '" + id + "'");
    }
    String mode = json.getString("mode", "standard");
    if (!MODES.contains(mode)) {
      throw new IllegalArgumentException("spec " + id + ": mode must be one of " + MODES + ", got '" + mode + "'");
    }
    JsonObject model = json.getJsonObject("model");
    if (model == null || model.getString("backend") == null || model.getString("source") == null) {
      throw new IllegalArgumentException("spec " + id + ": model needs at least source and backend");
    }
    if (model.containsKey("name")) {
      throw new IllegalArgumentException("spec " + id + ": model must not carry a name (the deploy form asks for it)");
    }
    String versions = json.getString("backend_versions");
    if (versions != null) {
      for (String bound : versions.trim().split("\\s+")) {
        String number = bound.replaceFirst("^(>=|<=|>|<|==)", "");
        if (number.equals(bound) || !EngineVersion.valid(number)) {
          throw new IllegalArgumentException("spec " + id + ": backend_versions reads like \">=0.8.5 <0.12\", got '" + versions + "'");
        }
      }
    }
    JsonObject grid = json.getJsonObject("grid");
    try {
      if (grid != null) {
        CandidateGrid.candidates(grid);
      }
      return new CatalogSpec(id, mode, HardwareFilter.from(json.getJsonObject("hardware")), versions, model.copy(),
          json.getString("notes"), grid == null ? null : grid.copy(), null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("spec " + id + ": " + e.getMessage(), e);
    }
  }

  /** This spec as one a tuning run measured: {@code {tuning_run, measured_at, figures}}. */
  public CatalogSpec withMeasured(JsonObject measurement) {
    return new CatalogSpec(id, mode, hardware, backendVersions, model, notes, grid, measurement.copy());
  }

  public String backend() {
    return model.getString("backend");
  }

  /** Whether {@code version} lies in {@code backend_versions} (no range: every version). */
  public boolean versionFits(String version) {
    if (backendVersions == null) {
      return true;
    }
    if (!EngineVersion.valid(version)) {
      return false;
    }
    EngineVersion v = EngineVersion.parse(version);
    for (String bound : backendVersions.trim().split("\\s+")) {
      String op = bound.replaceFirst("[0-9].*$", "");
      int c = v.compareTo(EngineVersion.parse(bound.substring(op.length())));
      boolean ok = switch (op) {
        case ">=" -> c >= 0;
        case ">" -> c > 0;
        case "<=" -> c <= 0;
        case "<" -> c < 0;
        default -> c == 0;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Null when the node can run this spec, else why not. */
  public String misfit(NodeRecord node) {
    String hardwareMisfit = hardware.misfit(node);
    if (hardwareMisfit != null) {
      return hardwareMisfit;
    }
    if (node.backends() != null && !node.backends().contains(backend())) {
      return node.name() + " cannot start " + backend() + " (it has " + String.join(", ", node.backends()) + ")";
    }
    if (UNVERSIONED.contains(backend()) || backendVersions == null) {
      return null;
    }
    List<String> versions = new ArrayList<>();
    if (node.engines() != null) {
      node.engines().stream().map(JsonObject.class::cast).filter(e -> backend().equals(e.getString("backend")))
          .map(e -> e.getString("version")).forEach(versions::add);
    }
    return versions.stream().anyMatch(this::versionFits) ? null : "needs " + backend() + " " + backendVersions + "; "
        + node.name() + (versions.isEmpty() ? " has none" : " has " + String.join(", ", versions));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("mode", mode).put("hardware", hardware.toJson())
        .put("backend", backend()).put("model", model.copy());
    if (backendVersions != null) {
      json.put("backend_versions", backendVersions);
    }
    if (notes != null) {
      json.put("notes", notes);
    }
    if (grid != null) {
      json.put("grid", grid.copy());
    }
    if (measured != null) {
      json.put("source", "measured").mergeIn(measured.copy());
    }
    return json;
  }

  static JsonArray names(List<NodeRecord> nodes) {
    JsonArray names = new JsonArray();
    nodes.forEach(n -> names.add(n.name()));
    return names;
  }
}
