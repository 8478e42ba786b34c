package dev.gantry.engine.container;

import dev.gantry.engine.backend.StandInEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the {@code docker} client, run as {@code docker} by a script ({@link #install}): {@code run}
 * parses its options as docker does (an unknown one fails with exit 125, as do {@code -e}/{@code --env}, which
 * Gantry must never use, and a name already in use), records the container in its state folder
 * ({@code <name>.json}: the parsed options, the env file's mode and content, the engine's pid), and runs the
 * image's engine in the foreground as {@link StandInEngine} at the image tag's version, with the env file's
 * variables only and the published host port; {@code stop} ends the engine, {@code rm --force} ends it and
 * forgets the container, as does the engine's end with {@code --rm}. Every call is appended to {@code calls.log}.
 */
public final class FakeDocker {

  static final Set<String> WITH_VALUE = Set.of("--name", "--publish", "--env-file", "--volume", "--gpus", "--device",
      "--entrypoint", "--workdir", "--ipc", "--group-add");

  public static void main(String[] args) throws Exception {
    Path state = Path.of(System.getProperty("fake.docker.state"));
    Files.createDirectories(state);
    Files.writeString(state.resolve("calls.log"), String.join(" ", args) + "\n", StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    String name = args[args.length - 1];
    switch (args[0]) {
      case "run" -> System.exit(run(state, Arrays.asList(args).subList(1, args.length)));
      case "stop" -> System.exit(stop(state, name, false));
      case "rm" -> System.exit(stop(state, name, true));
      default -> {
        System.err.println("docker: '" + args[0] + "' is not a docker command.");
        System.exit(125);
      }
    }
  }

  /** Installs {@code <dir>/bin/docker} over a state folder {@code <dir>/state}; answers the script. */
  public static Path install(Path dir) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path argsFile = bin.resolve("docker.args");
    Files.writeString(argsFile, "-Xmx64m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dfake.docker.state=" + dir.resolve("state")
        + " -cp " + System.getProperty("java.class.path") + " " + FakeDocker.class.getName() + "\n");
    Path script = bin.resolve("docker");
    Files.writeString(script, "#!/bin/sh\nexec '" + java + "' @'" + argsFile + "' \"$@\"\n");
    script.toFile().setExecutable(true);
    return script;
  }

  private static int run(Path state, List<String> args) throws Exception {
    JsonObject container = new JsonObject();
    int i = 0;
    for (; i < args.size() && args.get(i).startsWith("-"); i += 2) {
      String option = args.get(i);
      if (option.equals("--rm")) {
        container.put("rm", true);
        i--;
        continue;
      }
      if (!WITH_VALUE.contains(option) || i + 1 >= args.size()) {
        System.err.println("unknown flag: " + option);
        return 125;
      }
      String key = option.substring(2);
      if (key.equals("volume") || key.equals("device") || key.equals("publish")) {
        container.put(key, container.getJsonArray(key, new JsonArray()).add(args.get(i + 1)));
      } else {
        container.put(key, args.get(i + 1));
      }
    }
    String name = container.getString("name");
    Path record = state.resolve(name + ".json");
    if (Files.exists(record)) {
      System.err.println("docker: Error response from daemon: Conflict. The container name \"/" + name
          + "\" is already in use.");
      return 125;
    }
    String image = args.get(i);
    List<String> engineArgs = new ArrayList<>(args.subList(i + 1, args.size()));
    Path envFile = Path.of(container.getString("env-file"));
    container.put("image", image).put("args", new JsonArray(engineArgs))
        .put("env_file_mode", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(envFile)))
        .put("env_file", Files.readString(envFile));
    String[] published = container.getJsonArray("publish").getString(0).split(":");
    int at = engineArgs.indexOf("--port");
    engineArgs.set(at + 1, published[1]);  // the engine's port inside is reached on the host port
    String entrypoint = Path.of(container.getString("entrypoint")).getFileName().toString();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), StandInEngine.class.getName(),
        entrypoint, image.substring(image.lastIndexOf(':') + 1)));
    command.addAll(engineArgs);
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME"));
    for (String line : Files.readAllLines(envFile)) {
      env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
    }
    Process engine = builder.start();
    Files.writeString(record, container.put("pid", engine.pid()).encodePrettily());
    Runtime.getRuntime().addShutdownHook(new Thread(engine::destroy));
    int code = engine.waitFor();
    if (container.getBoolean("rm", false)) {
      Files.deleteIfExists(record);
    }
    return code;
  }

  private static int stop(Path state, String name, boolean remove) throws Exception {
    Path record = state.resolve(name + ".json");
    if (!Files.exists(record)) {
      System.err.println("Error response from daemon: No such container: " + name);
      return remove ? 0 : 1;
    }
    ProcessHandle.of(new JsonObject(Files.readString(record)).getLong("pid")).ifPresent(engine -> {
      engine.destroy();
      try {
        engine.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        engine.destroyForcibly();
      }
    });
    if (remove) {
      Files.delete(record);
    }
    System.out.println(name);
    return 0;
  }
}
