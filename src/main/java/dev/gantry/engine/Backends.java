package dev.gantry.engine;

import dev.gantry.engine.backend.EngineBackends;
import dev.gantry.engine.tuning.EngineTuning;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How each backend's engine is started: pure command construction, one method per backend here, and
 * the versioned GPU engines ({@code vllm}, {@code sglang}, {@code mindie}) in their own contracts
 * ({@link dev.gantry.engine.backend.EngineBackends}). Engines
 * listen on {@link #ENGINE_HOST} only. The engine key goes in the environment ({@code LLAMA_API_KEY},
 * {@code GANTRY_API_KEY}), never on the command line, where any local user could read it with
 * {@code ps}; a custom command may not ask for it ({@code {{api_key}}} is refused).
 */
public final class Backends {

  public static final String BUILTIN_MAIN = "dev.gantry.engine.builtin.BuiltinEngineMain";
  /** Where every engine listens, whatever the node's address: only this machine can reach it. */
  public static final String ENGINE_HOST = "127.0.0.1";
  /** Why {@code {{api_key}}} is refused (a model stored before the rule still names it). */
  static final String API_KEY_REFUSED = "run_command may not contain {{api_key}}: a command line is visible to"
      + " every local user (ps, /proc); change the model so the engine reads GANTRY_API_KEY from its environment";

  public static EngineCommand command(LaunchSpec spec) {
    String backend = spec.model().getString("backend");
    return switch (backend) {
      case "builtin" -> builtin(spec);
      case "llama.cpp" -> llamaCpp(spec);
      case "custom" -> custom(spec);
      default -> EngineBackends.byName(backend)
          .orElseThrow(() -> new IllegalArgumentException("unknown backend '" + backend + "'")).command(spec);
    };
  }

  /**
   * The builtin engine's temporary folder, inside its instance's work folder: llama.cpp's native library
   * (5 MB), ONNX Runtime's and the demo model are unpacked there. A graceful stop
   * deletes them; an engine killed hard (SIGKILL, the OOM killer) used to leave them in {@code /tmp}. Now the
   * next start empties the folder, and the instance's removal deletes it.
   */
  static final String SCRATCH = "tmp";

  static EngineCommand builtin(LaunchSpec spec) {
    JsonObject model = spec.model();
    String source = "builtin".equals(model.getString("source"))
        ? "builtin:" + model.getString("builtin_model") : model.getString("local_path");
    List<String> argv = new ArrayList<>(List.of(spec.javaExecutable(), "-Xss4m", "-XX:+UseSerialGC",
        "-Dgantry.instance=" + spec.instanceId()));
    if (spec.workDir() != null) {
      argv.add("-Djava.io.tmpdir=" + WorkDirs.emptied(spec.workDir().resolve(SCRATCH)));
    }
    argv.addAll(List.of("-cp", spec.classpath(), BUILTIN_MAIN,
        "--model", source, "--host", spec.host(), "--port", String.valueOf(spec.port()),
        "--model-name", model.getString("name")));
    argv.addAll(parameters(model));
    Map<String, String> env = env(spec);
    env.put("GANTRY_API_KEY", spec.engineKey());
    return new EngineCommand(argv, env, "/health", "/v1/models");
  }

  static EngineCommand llamaCpp(LaunchSpec spec) {
    JsonObject model = spec.model();
    List<String> argv = new ArrayList<>(List.of(spec.llamaServer(), "--model", model.getString("local_path"),
        "--host", spec.host(), "--port", String.valueOf(spec.port()), "--alias", model.getString("name"),
        "--metrics"));
    JsonArray categories = model.getJsonArray("categories", new JsonArray());
    List<String> params = parameters(model);
    boolean reranker = categories.contains("reranker");
    if (categories.contains("embedding") && !reranker && !params.contains("--embeddings") && !params.contains("--embedding")) {
      argv.addAll(List.of("--embeddings", "--pooling", "mean"));
    }
    if (reranker && !params.contains("--reranking") && !params.contains("--rerank")) {
      argv.add("--reranking");
    }
    if (spec.gpuIndexes().isEmpty() && !params.contains("--n-gpu-layers") && !params.contains("-ngl")) {
      argv.addAll(List.of("--n-gpu-layers", "0"));
    }
    argv.addAll(EngineTuning.llamaCppOptions(spec.llamaServer(), model).argv());
    argv.addAll(params);
    Map<String, String> env = env(spec);
    env.put("LLAMA_API_KEY", spec.engineKey());
    return new EngineCommand(argv, env, "/health", "/v1/models", "/metrics", null);
  }

  static EngineCommand custom(LaunchSpec spec) {
    JsonObject model = spec.model();
    Map<String, String> values = new LinkedHashMap<>();
    values.put("model_path", model.getString("local_path", ""));
    values.put("port", String.valueOf(spec.port()));
    values.put("host", spec.host());
    values.put("model_name", model.getString("name"));
    values.put("gpu_ids", spec.gpuIndexes().stream().map(String::valueOf).collect(Collectors.joining(",")));
    values.put("gpu_count", String.valueOf(spec.gpuIndexes().size()));
    String template = model.getString("run_command");
    if (Placeholders.uses(template, "api_key")) {
      throw new IllegalArgumentException(API_KEY_REFUSED);
    }
    List<String> argv = new ArrayList<>();
    for (String word : CommandLineWords.split(template)) {
      argv.add(Placeholders.fill(word, values));
    }
    argv.addAll(parameters(model));
    Map<String, String> env = env(spec);
    env.put("GANTRY_API_KEY", spec.engineKey());
    return new EngineCommand(argv, env, model.getString("health_path", "/health"), null);
  }

  public static List<String> parameters(JsonObject model) {
    return model.getJsonArray("backend_parameters", new JsonArray()).stream().map(String::valueOf).toList();
  }

  /** The model's env, then the devices the instance was given (mutable: a backend adds its key). */
  public static Map<String, String> env(LaunchSpec spec) {
    Map<String, String> env = new LinkedHashMap<>();
    spec.model().getJsonObject("env", new JsonObject()).forEach(e -> env.put(e.getKey(), String.valueOf(e.getValue())));
    DeviceVisibility.envOf(spec.deviceType(), spec.visibility()).forEach(env::putIfAbsent);
    return env;
  }

  private Backends() {
  }
}
