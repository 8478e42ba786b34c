package dev.gantry.model;

import dev.gantry.common.ApiException;
import dev.gantry.common.AutoscaleSpec;
import dev.gantry.common.Schedules;
import dev.gantry.engine.backend.EngineBackends;
import dev.gantry.engine.tuning.EngineTuning;
import dev.gantry.common.DeviceVendor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The rules a model spec must follow beyond its JSON schema (which fields go together), and the
 * defaults it gets. Pure: unit-testable without a node.
 */
public final class ModelSpecs {

  /** The placeholder that would put the engine key on a command line (engines read GANTRY_API_KEY instead). */
  private static final Pattern API_KEY_PLACEHOLDER = Pattern.compile("\\{\\{\\s*api_key\\s*}}");
  private static final Set<String> STORED_ELSEWHERE = Set.of("id", "name", "created_at", "updated_at");

  /**
   * The fields that say how a model runs on the nodes (commands, environment, engine flags, file paths):
   * only admins may set them, and only admins read them.
   */
  public static final Set<String> ADMIN_FIELDS = Set.of("env", "run_command", "backend_parameters", "local_path",
      "speculative", "kv_cache");

  /** What a plain user sees of a model: the spec without {@link #ADMIN_FIELDS}. */
  public static JsonObject userView(JsonObject model) {
    JsonObject view = adminView(model);
    ADMIN_FIELDS.forEach(view::remove);
    return view;
  }

  /** What an admin sees: everything but the sealed hub token, which shows only as {@code hub_token_set}. */
  public static JsonObject adminView(JsonObject model) {
    JsonObject view = model.copy();
    boolean token = view.remove(HubSources.SEALED_TOKEN) != null;
    return HubSources.isHub(view) ? view.put("hub_token_set", token) : view;
  }

  /** Fills defaults and checks the combination; answers the spec to store (without id/name/timestamps). */
  public static JsonObject normalize(JsonObject input) {
    JsonObject spec = input.copy();
    STORED_ELSEWHERE.forEach(spec::remove);
    String source = spec.getString("source", spec.containsKey("builtin_model") ? "builtin" : "local_path");
    spec.put("source", source);
    spec.put("backend", spec.getString("backend", "builtin"));
    JsonObject autoscale = spec.getJsonObject("autoscale");
    spec.put("replicas", spec.getInteger("replicas", autoscale == null ? 1 : autoscale.getInteger("min", 1)));
    spec.put("placement_strategy", spec.getString("placement_strategy", "spread"));
    spec.put("distributed", spec.getValue("distributed", "auto"));
    spec.put("backend_parameters", spec.getJsonArray("backend_parameters", new JsonArray()));
    spec.put("env", spec.getJsonObject("env", new JsonObject()));
    spec.put("node_selector", spec.getJsonObject("node_selector", new JsonObject()));
    spec.put("device_ids", spec.getJsonArray("device_ids", new JsonArray()));
    spec.put("devices_per_replica", spec.getInteger("devices_per_replica", 0));
    spec.put("description", spec.getString("description", ""));
    check(spec);
    if (!spec.containsKey("categories") || spec.getJsonArray("categories").isEmpty()) {
      spec.put("categories", new JsonArray().add(defaultCategory(spec)));
    }
    return spec;
  }

  /** A bundled model's own category; a file's by its kind (.onnx files serve embeddings, GGUF files chat). */
  private static String defaultCategory(JsonObject spec) {
    if (HubSources.isHub(spec)) {
      return spec.getString("file", "").endsWith(".onnx") ? "embedding" : "llm";
    }
    if ("builtin".equals(spec.getString("source"))) {
      return BuiltinModel.byId(spec.getString("builtin_model")).orElseThrow().category();
    }
    return spec.getString("local_path", "").endsWith(".onnx") ? "embedding" : "llm";
  }

  private static void check(JsonObject spec) {
    if (!"auto".equals(spec.getValue("distributed")) && !"off".equals(spec.getValue("distributed"))) {
      throw ApiException.badRequest("distributed must be 'auto' (a replica no single node holds runs over several"
          + " nodes, with vllm, sglang or mindie) or 'off' (one node only); got '" + spec.getValue("distributed") + "'");
    }
    String autoscaleProblem = AutoscaleSpec.problem(spec.getJsonObject("autoscale"));
    if (autoscaleProblem != null) {
      throw ApiException.badRequest(autoscaleProblem);
    }
    String scheduleProblem = Schedules.problem(spec.getJsonArray("schedules"), spec.getJsonObject("autoscale") != null);
    if (scheduleProblem != null) {
      throw ApiException.badRequest(scheduleProblem);
    }
    String source = spec.getString("source");
    String backend = spec.getString("backend");
    String path = spec.getString("local_path");
    if ("builtin".equals(source)) {
      String builtin = spec.getString("builtin_model");
      if (builtin == null) {
        throw ApiException.badRequest("source 'builtin' needs 'builtin_model'; available: " + String.join(", ", BuiltinModel.ids()));
      }
      if (BuiltinModel.byId(builtin).isEmpty()) {
        throw ApiException.badRequest("builtin_model must be one of: " + String.join(", ", BuiltinModel.ids())
            + "; got '" + builtin + "'");
      }
      if (!"builtin".equals(backend)) {
        throw ApiException.badRequest("builtin_model '" + builtin + "' runs on backend 'builtin', not '" + backend + "'");
      }
    } else if (HubSources.isHub(spec)) {
      HubSources.check(spec);
    } else {
      if (path == null || path.isBlank()) {
        throw ApiException.badRequest("source 'local_path' needs 'local_path': the model file's absolute path on the nodes");
      }
      if (!Path.of(path).isAbsolute()) {
        throw ApiException.badRequest("local_path must be absolute, got '" + path + "'");
      }
      if ("llama.cpp".equals(backend) && !path.endsWith(".gguf")) {
        throw ApiException.badRequest("backend 'llama.cpp' serves GGUF files; local_path must end in .gguf");
      }
      if ("builtin".equals(backend) && !(path.endsWith(".gguf") || path.endsWith(".onnx"))) {
        throw ApiException.badRequest("backend 'builtin' serves .gguf and .onnx files; got '" + path + "'");
      }
    }
    if ("custom".equals(backend) && (spec.getString("run_command") == null || spec.getString("run_command").isBlank())) {
      throw ApiException.badRequest("backend 'custom' needs 'run_command', e.g. \"my-server --port {{port}} --model {{model_path}}\"");
    }
    if (spec.getString("run_command") != null && API_KEY_PLACEHOLDER.matcher(spec.getString("run_command")).find()) {
      throw ApiException.badRequest("run_command may not contain {{api_key}}: a command line is visible to every"
          + " local user (ps, /proc); the engine finds its key in the environment variable GANTRY_API_KEY instead");
    }
    try {
      List<String> parameters = spec.getJsonArray("backend_parameters").stream().map(String::valueOf).toList();
      EngineBackends.check(backend, spec.getString("backend_version"), parameters);
      EngineTuning.check(backend, spec.getString("backend_version"), spec.getJsonObject("speculative"),
          spec.getJsonObject("kv_cache"), parameters);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    if (!spec.getJsonArray("device_ids").isEmpty() && spec.getInteger("devices_per_replica") == 0) {
      spec.put("devices_per_replica", spec.getJsonArray("device_ids").size());
    }
    Object vendor = spec.getValue("device_vendor");
    if (vendor != null && !(vendor instanceof String key && DeviceVendor.ofKey(key).isPresent())) {
      throw ApiException.badRequest("device_vendor must be one of: " + Arrays.stream(DeviceVendor.values())
          .map(DeviceVendor::key).collect(Collectors.joining(", ")) + "; got '" + vendor + "'");
    }
  }

  private ModelSpecs() {
  }
}
