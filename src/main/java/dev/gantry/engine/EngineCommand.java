package dev.gantry.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A process to start: its argv, extra environment, the HTTP path that answers 200 when it is ready,
 * and (for engines that enforce the instance secret) a path that answers 200 only with that secret —
 * proof that the port is answered by this engine and not by some other process that holds it; where
 * its Prometheus metrics are (null: none), the folder it starts in (null: Gantry's own) and, in container
 * mode, the container it runs in (null: a plain process).
 */
public record EngineCommand(List<String> argv, Map<String, String> env, String healthPath, String identityPath,
    String metricsPath, Path directory, EngineContainer container) {

  public EngineCommand(List<String> argv, Map<String, String> env, String healthPath, String identityPath,
      String metricsPath, Path directory) {
    this(argv, env, healthPath, identityPath, metricsPath, directory, null);
  }

  public EngineCommand(List<String> argv, Map<String, String> env, String healthPath, String identityPath) {
    this(argv, env, healthPath, identityPath, null, null);
  }
}
