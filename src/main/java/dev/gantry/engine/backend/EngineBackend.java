package dev.gantry.engine.backend;

import dev.gantry.engine.EngineCommand;
import dev.gantry.engine.LaunchSpec;
import java.util.List;

/**
 * A GPU engine as a versioned contract: where its executable is, how it says its version, how it is
 * started (Gantry owns host, port, served name and key: the key goes in the environment or a file,
 * never on the command line), which options exist in which version range, how it says it is ready and
 * where its metrics are.
 */
public interface EngineBackend {

  /** The backend's name in a model spec ({@code vllm}). */
  String name();

  /** The executable looked for on PATH and as {@code <engines-dir>/<name>/<version>/bin/<executable>}. */
  String executableName();

  /** The command that prints the version; null when the engine cannot say (then the directory name is used). */
  List<String> versionCommand(String executable);

  /** The version in what {@link #versionCommand} printed; null when none is found. */
  String versionIn(String output);

  /** The options Gantry sets itself, refused in {@code backend_parameters}. */
  List<String> owned();

  /** The options whose existence depends on the version. */
  List<Flag> flags();

  /** Checks the user's options (owned, version range, and any backend-specific rule); throws with a message for a person. */
  default void check(EngineVersion version, List<String> parameters) {
    BackendParameters.refuseOwned(name(), owned(), parameters);
    if (version != null) {
      BackendParameters.refuseOutOfRange(name(), version, flags(), parameters);
    }
  }

  /** The path of its Prometheus metrics on the engine's port. */
  String metricsPath();

  EngineCommand command(LaunchSpec spec);
}
