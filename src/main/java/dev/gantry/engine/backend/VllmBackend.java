package dev.gantry.engine.backend;

import dev.gantry.engine.Backends;
import dev.gantry.engine.EngineCommand;
import dev.gantry.engine.LaunchSpec;
import dev.gantry.engine.tuning.EngineTuning;
import dev.gantry.engine.tuning.TuningOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * vLLM: {@code vllm serve <model> --host 127.0.0.1 --port P --served-model-name NAME}; the key in
 * {@code VLLM_API_KEY} (vLLM's fallback for {@code --api-key}, which protects {@code /v1} and leaves
 * {@code /health} and {@code /metrics} open). Ready when {@code /health} answers and {@code /v1/models}
 * accepts the key. Version ranges from vLLM's {@code arg_utils.py} (see docs/ARCHITECTURE.md, engines).
 */
public final class VllmBackend implements EngineBackend {

  static final Pattern VERSION = Pattern.compile("(\\d+\\.\\d+[0-9A-Za-z.+\\-]*)");

  /**
   * The speculative options of vLLM 0.4.1 – 0.8.2, removed by PR #15466 (still reviewed 2025-03-31, so merged after
   * v0.8.2, whose release notes were out by then); the next release, v0.8.3 (2025-04-07), is the first without them.
   */
  static final String SPECULATIVE_CONFIG_SINCE = "0.8.0";
  static final String OLD_SPECULATIVE_UNTIL = "0.8.3";

  private static final List<Flag> FLAGS = List.of(
      Flag.removedIn(OLD_SPECULATIVE_UNTIL, "--speculative-config '{\"model\":…,\"num_speculative_tokens\":…}'",
          "--speculative-model", "--num-speculative-tokens", "--speculative-draft-tensor-parallel-size",
          "--speculative-model-quantization", "--speculative-max-model-len", "--speculative-disable-by-batch-size",
          "--spec-decoding-acceptance-method", "--typical-acceptance-sampler-posterior-threshold",
          "--typical-acceptance-sampler-posterior-alpha", "--disable-logprobs-during-spec-decoding",
          "--speculative-disable-mqa-scorer"),
      Flag.removedIn(OLD_SPECULATIVE_UNTIL, "--speculative-config '{\"method\":\"ngram\",\"prompt_lookup_max\":…}'",
          "--ngram-prompt-lookup-max", "--ngram-prompt-lookup-min"),
      Flag.addedIn(SPECULATIVE_CONFIG_SINCE, "--speculative-config"),
      Flag.addedIn("0.9.0.1", "--enable-prompt-tokens-details"),
      Flag.addedIn("0.11.1", "--kv-offloading-size", "--kv-offloading-backend", "--attention-backend"),
      Flag.addedIn("0.16.0", "--disable-access-log-for-endpoints"),
      Flag.always("--max-model-len", "--gpu-memory-utilization", "--max-num-seqs", "--max-num-batched-tokens",
          "--tensor-parallel-size", "--pipeline-parallel-size", "--dtype", "--quantization", "--kv-cache-dtype",
          "--enable-prefix-caching", "--enforce-eager", "--trust-remote-code", "--reasoning-parser",
          "--tool-call-parser", "--enable-auto-tool-choice", "--kv-transfer-config", "--cpu-offload-gb",
          "--swap-space", "--enable-chunked-prefill"));

  @Override
  public String name() {
    return "vllm";
  }

  @Override
  public String executableName() {
    return "vllm";
  }

  @Override
  public List<String> versionCommand(String executable) {
    return List.of(executable, "--version");
  }

  @Override
  public String versionIn(String output) {
    return lastVersion(output);
  }

  /** The last version-looking word of an output (vLLM prints log lines before it). */
  static String lastVersion(String output) {
    String found = null;
    for (String line : output.split("\\R")) {
      Matcher m = VERSION.matcher(line.trim());
      if (line.trim().matches("v?\\d+\\.\\d+\\S*") && m.find()) {
        found = m.group(1);
      }
    }
    return found;
  }

  @Override
  public List<String> owned() {
    List<String> owned = new ArrayList<>(List.of("--host", "--port", "--served-model-name", "--api-key", "--model", "--uds"));
    owned.addAll(MultiNodeOptions.VLLM_OWNED);
    return owned;
  }

  @Override
  public List<Flag> flags() {
    return FLAGS;
  }

  @Override
  public String metricsPath() {
    return "/metrics";
  }

  @Override
  public EngineCommand command(LaunchSpec spec) {
    List<String> parameters = Backends.parameters(spec.model());
    check(spec.engine().parsedVersion(), parameters);
    List<String> argv = new ArrayList<>(List.of(spec.engine().executable(), "serve", spec.model().getString("local_path"),
        "--host", spec.host(), "--port", String.valueOf(spec.port()),
        "--served-model-name", spec.model().getString("name")));
    TuningOptions tuning = EngineTuning.options(name(), spec.engine().parsedVersion(), spec.model());
    if (spec.multiNode() != null) {
      argv.addAll(MultiNodeOptions.vllm(spec.multiNode(), spec.engine().parsedVersion(), parameters));
    }
    argv.addAll(tuning.argv());
    argv.addAll(parameters);
    Map<String, String> env = Backends.env(spec);
    env.putAll(tuning.env());
    env.put("VLLM_API_KEY", spec.engineKey());
    return new EngineCommand(argv, env, "/health", "/v1/models", metricsPath(), null);
  }
}
