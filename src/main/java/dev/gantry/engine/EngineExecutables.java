package dev.gantry.engine;

import dev.gantry.common.InstallHints;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which backends this node can start an engine for, checked on every heartbeat so that installing an
 * engine later needs no restart: {@code builtin} runs on Gantry's own JVM and {@code custom} brings its own
 * command, so both always can; {@code llama.cpp} needs its {@code llama-server} executable (an absolute
 * path, or a name found on {@code PATH}). The scheduler places a replica only on a node that can start it;
 * when none can, the replica stays pending with {@link #installHint}.
 */
public final class EngineExecutables {

  private final String llamaServer;
  private final String path;

  public EngineExecutables(String llamaServer, Map<String, String> environment) {
    this.llamaServer = llamaServer;
    this.path = environment.getOrDefault("PATH", "");
  }

  public List<String> available() {
    List<String> out = new ArrayList<>(List.of("builtin", "custom"));
    if (resolve(llamaServer) != null) {
      out.add("llama.cpp");
    }
    return out;
  }

  /** The executable a command names: itself when it has a directory part, else the first match on PATH. */
  Path resolve(String command) {
    if (command == null || command.isBlank()) {
      return null;
    }
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

  /** What a person does when no node can start an engine of {@code backend} ({@link InstallHints}). */
  public static String installHint(String backend) {
    return InstallHints.forBackend(backend);
  }
}
