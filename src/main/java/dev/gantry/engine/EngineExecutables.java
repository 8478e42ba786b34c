package dev.gantry.engine;

import dev.gantry.common.InstallHints;
import dev.gantry.config.ContainerConfig;
import dev.gantry.engine.container.ContainerImages;
import dev.gantry.engine.container.ContainerRuntime;
import dev.gantry.engine.backend.EngineBackend;
import dev.gantry.engine.backend.EngineBackends;
import dev.gantry.engine.backend.EngineVersion;
import dev.gantry.engine.backend.InstalledEngine;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which backends, at which versions, this node can start an engine for, checked on every heartbeat so
 * that installing an engine later needs no restart: {@code builtin} runs on Gantry's own JVM and
 * {@code custom} brings its own command, so both always can; {@code llama.cpp} needs its {@code llama-server}
 * executable (an absolute path, or a name found on {@code PATH}); {@code vllm}, {@code sglang} and
 * {@code mindie} need their executable on {@code PATH} or in the engines folder, one folder per version
 * ({@code <engines-dir>/vllm/0.11.2/bin/vllm}, a virtual environment per version). Each such executable is
 * asked for its version ({@code vllm --version}, {@code sglang version}; MindIE cannot say, so its folder
 * name is its version), with a timeout, once per executable and modification time. The scheduler places
 * a replica only on a node that can start it; when none can, the replica stays pending with
 * {@link InstallHints}.
 *
 * <p>{@link #engines} and {@link #available} may run processes: call them off the event loop.
 */
public final class EngineExecutables {

  private static final Logger LOG = LoggerFactory.getLogger(EngineExecutables.class);
  static final long VERSION_TIMEOUT_MS = 60_000;

  private final String llamaServer;
  private final Path enginesDir;
  private final Map<String, String> environment;
  private final String path;
  private final Map<Path, Probed> versions = new ConcurrentHashMap<>();
  private final ContainerConfig containers;
  private final ContainerImages images;
  private final Map<String, String> rawEnvironment;

  /** A version asked of an executable (null: it did not say) at the file's modification time. */
  private record Probed(long modified, String version) {
  }

  public EngineExecutables(String llamaServer, Map<String, String> environment) {
    this(llamaServer, null, environment);
  }

  public EngineExecutables(String llamaServer, Path enginesDir, Map<String, String> environment) {
    this(llamaServer, enginesDir, environment, ContainerConfig.OFF);
  }

  /**
   * With container mode on, the images of {@code containers} are offered too (before the executables found
   * for the same versions), but only while its runtime's client is found.
   */
  public EngineExecutables(String llamaServer, Path enginesDir, Map<String, String> environment,
      ContainerConfig containers) {
    this.containers = containers;
    this.images = containers.enabled() ? ContainerImages.of(containers.images()) : null;
    this.rawEnvironment = Map.copyOf(environment);
    this.llamaServer = llamaServer;
    this.enginesDir = enginesDir;
    this.environment = EngineEnvironment.of(environment, Map.of());
    this.path = environment.getOrDefault("PATH", "");
  }

  /** The backends' names ({@code builtin}, {@code custom}, then those whose engine was found). */
  public List<String> available() {
    return available(engines());
  }

  /** The names for a list {@link #engines} answered. */
  public List<String> available(List<InstalledEngine> engines) {
    Set<String> out = new LinkedHashSet<>(List.of("builtin", "custom"));
    if (resolve(llamaServer) != null) {
      out.add("llama.cpp");
    }
    engines.forEach(e -> out.add(e.backend()));
    return List.copyOf(out);
  }

  /** Every vllm, sglang and mindie executable found, with its version, newest first per backend. */
  public List<InstalledEngine> engines() {
    List<InstalledEngine> out = new ArrayList<>();
    if (images != null && containerRuntime().isPresent()) {
      out.addAll(images.engines());
    }
    Set<String> inImages = new java.util.HashSet<>();
    out.forEach(e -> inImages.add(e.backend() + ":" + e.parsedVersion()));
    for (EngineBackend backend : EngineBackends.ALL) {
      Set<Path> seen = new LinkedHashSet<>();
      for (Path file : inEnginesDir(backend)) {
        seen.add(file);
        String version = version(backend, file);
        String folder = file.getParent().getParent().getFileName().toString();
        String chosen = version != null ? version : EngineVersion.valid(folder) ? folder : null;
        if (chosen != null && !inImages.contains(backend.name() + ":" + EngineVersion.parse(chosen))) {
          out.add(new InstalledEngine(backend.name(), chosen, file.toString()));
        }
      }
      Path onPath = resolve(backend.executableName());
      if (onPath != null && !seen.contains(onPath)) {
        String version = version(backend, onPath);
        if (version != null && !inImages.contains(backend.name() + ":" + EngineVersion.parse(version))) {
          out.add(new InstalledEngine(backend.name(), version, onPath.toString()));
        }
      }
    }
    out.sort(Comparator.comparing(InstalledEngine::backend)
        .thenComparing(InstalledEngine::parsedVersion, Comparator.reverseOrder()));
    return out;
  }

  /** In container mode, the runtime's client when it is found (on PATH, or the absolute path given); else empty. */
  public Optional<ContainerRuntime> containerRuntime() {
    return containers.enabled() ? ContainerRuntime.detect(containers.runtime(), rawEnvironment) : Optional.empty();
  }

  /**
   * The engine to start for {@code backend} at {@code version} (blank: the newest found); empty when this
   * node has none.
   */
  public Optional<InstalledEngine> find(String backend, String version) {
    return find(engines(), backend, version);
  }

  public static Optional<InstalledEngine> find(List<InstalledEngine> engines, String backend, String version) {
    boolean any = version == null || version.isBlank();
    return engines.stream().filter(e -> e.backend().equals(backend))
        .filter(e -> any || EngineVersion.parse(e.version()).compareTo(EngineVersion.parse(version)) == 0)
        .max(Comparator.comparing(InstalledEngine::parsedVersion));
  }

  private List<Path> inEnginesDir(EngineBackend backend) {
    List<Path> out = new ArrayList<>();
    Path root = enginesDir == null ? null : enginesDir.resolve(backend.name());
    if (root == null || !Files.isDirectory(root)) {
      return out;
    }
    try (DirectoryStream<Path> versions = Files.newDirectoryStream(root)) {
      for (Path folder : versions) {
        Path file = folder.resolve("bin").resolve(backend.executableName());
        if (Files.isRegularFile(file) && Files.isExecutable(file)) {
          out.add(file);
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot list engines folder {}: {}", root, e.getMessage());
    }
    return out;
  }

  /** The version an executable reports, asked once per modification time; null when it cannot say. */
  private String version(EngineBackend backend, Path file) {
    List<String> command = backend.versionCommand(file.toString());
    if (command == null) {
      return null;
    }
    long modified;
    try {
      modified = Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return null;
    }
    Probed known = versions.get(file);
    if (known != null && known.modified() == modified) {
      return known.version();
    }
    String version = ask(backend, command);
    versions.put(file, new Probed(modified, version));
    return version;
  }

  private String ask(EngineBackend backend, List<String> command) {
    Path output = null;
    try {
      output = Files.createTempFile("gantry-engine-version", ".txt");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().clear();
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (!process.waitFor(VERSION_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        LOG.warn("{} did not say its version within {} ms", command, VERSION_TIMEOUT_MS);
        return null;
      }
      String text = Files.readString(output);
      String version = process.exitValue() == 0 ? backend.versionIn(text) : null;
      if (version == null || !EngineVersion.valid(version)) {
        LOG.warn("{} did not say its version (exit {}): {}", command, process.exitValue(), text.strip());
        return null;
      }
      return version;
    } catch (IOException e) {
      LOG.warn("cannot run {}: {}", command, e.getMessage());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException ignored) {
          // a temporary file left behind is harmless
        }
      }
    }
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
}
