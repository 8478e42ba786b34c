package dev.gantry.engine.backend;

import dev.gantry.engine.Backends;
import dev.gantry.engine.EngineCommand;
import dev.gantry.engine.LaunchSpec;
import dev.gantry.engine.tuning.EngineTuning;
import dev.gantry.engine.tuning.TuningOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * MindIE Service on Ascend NPUs: {@code mindieservice_daemon}, started in its {@code bin/} folder, has no
 * command line: it reads the {@code config.json} Gantry writes into the instance's work folder (pointed at
 * by {@code MIES_CONFIG_JSON_PATH}), with HTTPS off, every port (service, management, metrics) on the one
 * Gantry chose, the devices as {@code npuDeviceIds} (0..n-1 within {@code ASCEND_RT_VISIBLE_DEVICES}).
 * {@code backend_parameters} are a few pseudo-options translated into that file. Ready when
 * {@code /v2/health/ready} answers; metrics need {@code MIES_SERVICE_MONITOR_MODE=1}. MindIE has no API
 * key (none found in its configuration reference): the engine relies on listening on loopback only.
 */
public final class MindieBackend implements EngineBackend {

  /** Pseudo-option → where it goes in config.json ({@code section.key}); {@code --trust-remote-code} takes no value. */
  static final Map<String, String> OPTIONS = options();

  private static Map<String, String> options() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("--max-seq-len", "ModelDeployConfig.maxSeqLen");
    out.put("--max-input-token-len", "ModelDeployConfig.maxInputTokenLen");
    out.put("--max-batch-size", "ScheduleConfig.maxBatchSize");
    out.put("--max-prefill-batch-size", "ScheduleConfig.maxPrefillBatchSize");
    out.put("--max-prefill-tokens", "ScheduleConfig.maxPrefillTokens");
    out.put("--cpu-mem-size", "ModelConfig.cpuMemSize");
    out.put("--npu-mem-size", "ModelConfig.npuMemSize");
    out.put("--trust-remote-code", "ModelConfig.trustRemoteCode");
    return Map.copyOf(out);
  }

  @Override
  public String name() {
    return "mindie";
  }

  @Override
  public String executableName() {
    return "mindieservice_daemon";
  }

  /** MindIE has no documented version command: the version is the engines-dir folder's name. */
  @Override
  public List<String> versionCommand(String executable) {
    return null;
  }

  @Override
  public String versionIn(String output) {
    return null;
  }

  @Override
  public List<String> owned() {
    return List.of("--host", "--port", "--served-model-name", "--api-key", "--model");
  }

  @Override
  public List<Flag> flags() {
    return OPTIONS.keySet().stream().sorted().map(Flag::always).toList();
  }

  @Override
  public void check(EngineVersion version, List<String> parameters) {
    EngineBackend.super.check(version, parameters);
    pseudoOptions(parameters);
  }

  @Override
  public String metricsPath() {
    return "/metrics";
  }

  @Override
  public EngineCommand command(LaunchSpec spec) {
    List<String> parameters = Backends.parameters(spec.model());
    check(spec.engine().parsedVersion(), parameters);
    Path config = spec.workDir().resolve("config.json");
    TuningOptions tuning = EngineTuning.options(name(), spec.engine().parsedVersion(), spec.model());
    Map<String, Object> options = new LinkedHashMap<>(tuning.config());
    options.putAll(pseudoOptions(parameters));
    Map<String, String> multiNodeEnv = Map.of();
    try {
      Files.createDirectories(spec.workDir());
      JsonObject written = config(spec, options);
      if (spec.multiNode() != null) {
        multiNodeEnv = MultiNodeOptions.mindie(spec.multiNode(), written.getJsonObject("BackendConfig"), spec.workDir());
      }
      Files.writeString(config, written.encodePrettily());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + config + ": " + e.getMessage(), e);
    }
    Map<String, String> env = Backends.env(spec);
    env.remove("CUDA_VISIBLE_DEVICES");
    if (!spec.gpuIndexes().isEmpty()) {
      env.put("ASCEND_RT_VISIBLE_DEVICES", spec.gpuIndexes().stream().map(String::valueOf).collect(Collectors.joining(",")));
    }
    env.putAll(tuning.env());
    env.putAll(multiNodeEnv);
    env.put("MIES_CONFIG_JSON_PATH", config.toString());
    env.put("MIES_SERVICE_MONITOR_MODE", "1");
    Path executable = Path.of(spec.engine().executable());
    return new EngineCommand(List.of(executable.toString()), env, "/v2/health/ready", null, metricsPath(),
        realFolder(executable));
  }

  /** MindIE runs from its own {@code bin/} folder: the real one when the engines folder holds a link. */
  private static Path realFolder(Path executable) {
    try {
      return executable.toRealPath().getParent();
    } catch (IOException e) {
      return executable.getParent();
    }
  }

  /** The pseudo-options as config.json values; anything else is refused (MindIE has no command line). */
  static Map<String, Object> pseudoOptions(List<String> parameters) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < parameters.size(); i++) {
      String word = parameters.get(i);
      String name = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
      String target = OPTIONS.get(name);
      if (target == null) {
        throw new IllegalArgumentException("backend 'mindie' has no command line; backend_parameters may hold only "
            + String.join(", ", OPTIONS.keySet().stream().sorted().toList()) + " (written into its config.json); got '"
            + word + "'");
      }
      if (name.equals("--trust-remote-code")) {
        out.put(target, true);
        continue;
      }
      String value = word.contains("=") ? word.substring(word.indexOf('=') + 1)
          : i + 1 < parameters.size() ? parameters.get(++i) : null;
      if (value == null || !value.matches("-?\\d+")) {
        throw new IllegalArgumentException("backend 'mindie': " + name + " needs a whole number, got '" + value + "'");
      }
      out.put(target, Long.parseLong(value));
    }
    return out;
  }

  /** The config.json MindIE reads; only the fields Gantry sets or a user's pseudo-options change. */
  static JsonObject config(LaunchSpec spec, Map<String, Object> options) {
    int devices = Math.max(1, spec.gpuIndexes().size());
    JsonObject model = new JsonObject().put("modelInstanceType", "Standard").put("modelName", spec.model().getString("name"))
        .put("modelWeightPath", spec.model().getString("local_path")).put("worldSize", devices)
        .put("cpuMemSize", 5).put("npuMemSize", -1).put("backendType", "atb").put("trustRemoteCode", false);
    JsonObject deploy = new JsonObject().put("maxSeqLen", 8192).put("maxInputTokenLen", 4096).put("truncation", false)
        .put("ModelConfig", new JsonArray().add(model));
    JsonObject schedule = new JsonObject().put("templateType", "Standard").put("maxBatchSize", 200)
        .put("maxPrefillBatchSize", 50).put("maxPrefillTokens", 8192).put("maxIterTimes", 4096);
    JsonArray ids = new JsonArray(IntStream.range(0, devices).boxed().toList());
    JsonObject server = new JsonObject().put("ipAddress", spec.host()).put("managementIpAddress", spec.host())
        .put("port", spec.port()).put("managementPort", spec.port()).put("metricsPort", spec.port())
        .put("allowAllZeroIpListening", false).put("httpsEnabled", false).put("interCommTLSEnabled", false)
        .put("interNodeTLSEnabled", false);
    JsonObject backend = new JsonObject().put("backendName", "mindieservice_llm_engine")
        .put("npuDeviceIds", new JsonArray().add(ids)).put("multiNodesInferEnabled", false)
        .put("ModelDeployConfig", deploy).put("ScheduleConfig", schedule);
    options.forEach((target, value) -> {
      String section = target.substring(0, target.indexOf('.'));
      String key = target.substring(target.indexOf('.') + 1);
      JsonObject into = switch (section) {
        case "ModelDeployConfig" -> deploy;
        case "ScheduleConfig" -> schedule;
        default -> model;
      };
      into.put(key, value);
    });
    return new JsonObject().put("Version", "1.0.0").put("ServerConfig", server).put("BackendConfig", backend);
  }
}
