package dev.gantry.engine.backend;

import dev.gantry.engine.Backends;
import dev.gantry.engine.EngineCommand;
import dev.gantry.engine.LaunchSpec;
import dev.gantry.engine.tuning.EngineTuning;
import dev.gantry.engine.tuning.TuningOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SGLang: {@code python3 -m sglang.launch_server} when a {@code python3} sits beside the {@code sglang}
 * executable (a virtual environment: works on every version), else {@code sglang serve}; always
 * {@code --model-path --host --port --served-model-name --enable-metrics}. SGLang reads its key only
 * from {@code --api-key}, so Gantry writes it into a server-arguments file readable by its own user
 * ({@code --config <work>/sglang-args.yaml}) instead of the command line: SGLang's
 * {@code server_args_config_parser.ConfigArgumentMerger} turns each YAML key into {@code --<key> <value>}
 * inside the process (the file must end in .yaml). A build without {@code --config} exits with
 * "unrecognized arguments", which the instance shows as its error. {@code /health} answers 503
 * while the server starts; {@code /v1/models} with the key proves the port is this engine's.
 */
public final class SglangBackend implements EngineBackend {

  private static final List<Flag> FLAGS = List.of(
      // The n-gram window options came with LOOKAHEAD/NGRAM (PR #9873, renamed NGRAM by PR #11010, Sep 2025; first
      // release inferred). PR #21225 removed them: merged 2026-04-01, in v0.5.10, not in v0.5.10rc0 (2026-03-28).
      new Flag(List.of("--speculative-ngram-min-match-window-size", "--speculative-ngram-max-match-window-size"),
          "0.5.3", "0.5.10", "--speculative-ngram-min-bfs-breadth / --speculative-ngram-max-bfs-breadth"),
      Flag.addedIn("0.3.4", "--enable-cache-report"),
      Flag.addedIn("0.5.8.post1", "--uvicorn-access-log-exclude-prefixes"),
      Flag.always("--context-length", "--mem-fraction-static", "--tp-size", "--pp-size", "--dp-size",
          "--max-running-requests", "--max-total-tokens", "--max-prefill-tokens", "--chunked-prefill-size",
          "--disable-radix-cache", "--enable-dp-attention", "--kv-cache-dtype", "--quantization", "--dtype",
          "--speculative-algorithm", "--speculative-draft-model-path", "--speculative-num-steps",
          "--speculative-eagle-topk", "--speculative-num-draft-tokens", "--enable-hierarchical-cache",
          "--hicache-ratio", "--hicache-size", "--attention-backend", "--trust-remote-code"));

  @Override
  public String name() {
    return "sglang";
  }

  @Override
  public String executableName() {
    return "sglang";
  }

  @Override
  public List<String> versionCommand(String executable) {
    return List.of(executable, "version");
  }

  @Override
  public String versionIn(String output) {
    for (String line : output.split("\\R")) {
      String trimmed = line.trim();
      if (trimmed.toLowerCase().startsWith("sglang version:")) {
        return trimmed.substring("sglang version:".length()).trim().split("\\s+")[0];
      }
    }
    return VllmBackend.lastVersion(output);
  }

  @Override
  public List<String> owned() {
    List<String> owned = new ArrayList<>(List.of("--host", "--port", "--served-model-name", "--api-key",
        "--admin-api-key", "--model-path", "--model", "--config"));
    owned.addAll(MultiNodeOptions.SGLANG_OWNED);
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
    Path executable = Path.of(spec.engine().executable());
    Path python = executable.resolveSibling("python3");
    List<String> argv = new ArrayList<>(Files.isExecutable(python)
        ? List.of(python.toString(), "-m", "sglang.launch_server")
        : List.of(executable.toString(), "serve"));
    argv.addAll(List.of("--model-path", spec.model().getString("local_path"), "--host", spec.host(),
        "--port", String.valueOf(spec.port()), "--served-model-name", spec.model().getString("name"),
        "--enable-metrics", "--config", keyFile(spec).toString()));
    TuningOptions tuning = EngineTuning.options(name(), spec.engine().parsedVersion(), spec.model());
    if (spec.multiNode() != null) {
      argv.addAll(MultiNodeOptions.sglang(spec.multiNode(), parameters));
    }
    argv.addAll(tuning.argv());
    argv.addAll(parameters);
    Map<String, String> env = Backends.env(spec);
    env.putAll(tuning.env());
    return new EngineCommand(argv, env, "/health", "/v1/models", metricsPath(), null);
  }

  /** {@code <work>/sglang-args.yaml} with {@code api-key: <key>}, readable by Gantry's user only. */
  static Path keyFile(LaunchSpec spec) {
    Path file = spec.workDir().resolve("sglang-args.yaml");
    try {
      Files.createDirectories(spec.workDir());
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, "api-key: \"" + spec.engineKey() + "\"\n");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
