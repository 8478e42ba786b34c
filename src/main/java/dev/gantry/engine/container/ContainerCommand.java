package dev.gantry.engine.container;

import dev.gantry.common.DeviceVendor;
import dev.gantry.engine.EngineCommand;
import dev.gantry.engine.EngineContainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an engine's command into {@code docker run} (or {@code podman run}) of its image, in the foreground
 * so that the node supervises the client like any engine process: the container is named after the instance
 * ({@code gantry-<instance>}), the engine's port is published on 127.0.0.1 only (the engine listens on all
 * of the container's addresses), the devices pass through ({@link ContainerDevices}), the model files and the
 * instance's folder are mounted read-only at the same paths, and the engine's environment (its key among it)
 * goes in through {@code --env-file}, never on the command line. The entrypoint is set to the engine's own
 * executable, whatever the image declares. {@code --rm}: a container whose engine ends (a crash, the
 * client killed with its node) is removed too. The client itself gets the node's runtime settings
 * ({@link #CLIENT_VARIABLES}) and nothing else. Pure: the caller writes the env file ({@link EnvFile}).
 */
public final class ContainerCommand {

  /** The node's variables the runtime's client reads (which daemon or socket, its config); no secret among them. */
  static final Set<String> CLIENT_VARIABLES = Set.of("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG",
      "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY", "CONTAINER_HOST", "CONTAINERS_CONF", "XDG_RUNTIME_DIR");

  private ContainerCommand() {
  }

  /** A container's name for an instance: {@code gantry-} and the instance's name in the characters names allow. */
  public static String containerName(String instanceName) {
    return "gantry-" + instanceName.replaceAll("[^A-Za-z0-9_.-]", "-");
  }

  /**
   * @param engine  the engine's command, built to listen on 0.0.0.0 inside the container; argv[0] is its
   *                executable in the image
   * @param mounts  host paths the engine reads (model files, its folder), mounted read-only
   * @param envFile where the caller writes {@link #environment} (mode 0600)
   * @param node    the node's environment, of which the client gets {@link #CLIENT_VARIABLES}
   */
  public static EngineCommand wrap(ContainerRuntime runtime, String image, String instanceName, int port,
      DeviceVendor vendor, List<Integer> devices, List<Path> mounts, Path envFile, EngineCommand engine,
      Map<String, String> node) {
    String name = containerName(instanceName);
    List<String> argv = new ArrayList<>(List.of(runtime.executable(), "run", "--rm", "--name", name,
        "--publish", "127.0.0.1:" + port + ":" + port, "--env-file", envFile.toString(), "--ipc", "host"));
    argv.addAll(ContainerDevices.options(runtime.kind(), vendor, devices));
    for (Path mount : mounts) {
      argv.addAll(List.of("--volume", mount + ":" + mount + ":ro"));
    }
    if (engine.directory() != null) {
      argv.addAll(List.of("--workdir", engine.directory().toString()));
    }
    argv.addAll(List.of("--entrypoint", engine.argv().get(0), image));
    argv.addAll(engine.argv().subList(1, engine.argv().size()));
    Map<String, String> client = new java.util.TreeMap<>();
    node.forEach((variable, value) -> {
      if (CLIENT_VARIABLES.contains(variable)) {
        client.put(variable, value);
      }
    });
    return new EngineCommand(argv, client, engine.healthPath(), engine.identityPath(), engine.metricsPath(), null,
        new EngineContainer(runtime.executable(), name, envFile));
  }

  /** What goes in the env file: the engine's variables, device numbers as the container sees them. */
  public static Map<String, String> environment(DeviceVendor vendor, List<Integer> devices, EngineCommand engine) {
    return ContainerDevices.visibility(vendor, devices, engine.env());
  }

  /**
   * The host paths to mount: the model's path, the engine's folder, and every absolute path the engine's
   * options name (also as {@code --option=/path}) that exists; a path inside another one is not mounted twice.
   */
  public static List<Path> mounts(EngineCommand engine, String modelPath, java.util.function.Predicate<Path> exists) {
    Set<Path> found = new LinkedHashSet<>();
    List<String> words = new ArrayList<>(engine.argv().subList(1, engine.argv().size()));
    if (modelPath != null) {
      words.add(0, modelPath);
    }
    if (engine.directory() != null) {
      words.add(engine.directory().toString());
    }
    for (String word : words) {
      String value = word.startsWith("--") && word.contains("=") ? word.substring(word.indexOf('=') + 1) : word;
      if (value.startsWith("/") && !value.contains(",") && exists.test(Path.of(value))) {
        found.add(Path.of(value).normalize());
      }
    }
    return found.stream().filter(p -> found.stream().noneMatch(o -> !o.equals(p) && p.startsWith(o))).toList();
  }
}
