package dev.gantry.engine.backend;

import java.util.List;
import java.util.Optional;

/**
 * The versioned engine contracts ({@code vllm}, {@code sglang}, {@code mindie}) and the model-time check of
 * every backend's {@code backend_parameters}: no option Gantry sets itself, none the chosen version lacks.
 */
public final class EngineBackends {

  public static final List<EngineBackend> ALL = List.of(new VllmBackend(), new SglangBackend(), new MindieBackend());

  /** Options Gantry sets on the engines it starts itself. */
  static final List<String> LLAMA_CPP_OWNED = List.of("--host", "--port", "--alias", "-a", "--api-key",
      "--api-key-file", "--model", "-m");
  static final List<String> BUILTIN_OWNED = List.of("--host", "--port", "--model", "--model-name");

  public static Optional<EngineBackend> byName(String name) {
    return ALL.stream().filter(b -> b.name().equals(name)).findFirst();
  }

  /**
   * Checks a model's {@code backend_parameters} for its backend and (when named) version; throws
   * {@link IllegalArgumentException} with a message for a person.
   */
  public static void check(String backend, String version, List<String> parameters) {
    switch (backend) {
      case "llama.cpp" -> BackendParameters.refuseOwned(backend, LLAMA_CPP_OWNED, parameters);
      case "builtin" -> BackendParameters.refuseOwned(backend, BUILTIN_OWNED, parameters);
      case "custom" -> { }
      default -> {
        EngineBackend contract = byName(backend).orElseThrow(() -> new IllegalArgumentException("unknown backend '" + backend + "'"));
        EngineVersion parsed = null;
        if (version != null && !version.isBlank()) {
          if (!EngineVersion.valid(version)) {
            throw new IllegalArgumentException("backend_version '" + version + "' is not a version (e.g. 0.11.2)");
          }
          parsed = EngineVersion.parse(version);
        }
        contract.check(parsed, parameters);
      }
    }
  }

  private EngineBackends() {
  }
}
