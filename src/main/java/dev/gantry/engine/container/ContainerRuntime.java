package dev.gantry.engine.container;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The container runtime's client a node found: {@code docker} or {@code podman} (which take the same
 * {@code run}, {@code stop} and {@code rm} options Gantry uses), named by {@code --container-runtime} and
 * looked up on {@code PATH}, or given as an absolute path. Its {@link #kind} decides the one option that
 * differs: how NVIDIA devices are passed.
 */
public record ContainerRuntime(String kind, String executable) {

  /** The runtime {@code configured} names, when its executable exists; empty otherwise. */
  public static Optional<ContainerRuntime> detect(String configured, Map<String, String> environment) {
    if (configured == null || configured.isBlank()) {
      return Optional.empty();
    }
    Path file = resolve(configured, environment.getOrDefault("PATH", ""));
    if (file == null) {
      return Optional.empty();
    }
    String kind = file.getFileName().toString().contains("podman") ? "podman" : "docker";
    return Optional.of(new ContainerRuntime(kind, file.toString()));
  }

  private static Path resolve(String command, String path) {
    if (command.contains(File.separator)) {
      Path file = Path.of(command);
      return Files.isRegularFile(file) && Files.isExecutable(file) ? file : null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path file = Path.of(dir, command);
        if (Files.isRegularFile(file) && Files.isExecutable(file)) {
          return file;
        }
      }
    }
    return null;
  }
}
