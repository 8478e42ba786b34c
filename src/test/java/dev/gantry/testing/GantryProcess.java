package dev.gantry.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real node: {@code java -Xmx256m -jar gantry.jar start ...} as a child process, its stdout and
 * stderr appended to {@code target/it-logs/<name>.log}. The jar comes from the {@code gantry.jar}
 * system property, which the pom sets for failsafe.
 */
public final class GantryProcess implements AutoCloseable {

  public static final Path LOG_DIR = Path.of("target", "it-logs");
  /** Names started by this JVM: a name's first start truncates the log of an earlier build. */
  private static final java.util.Set<String> STARTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final String name;
  private final Path log;
  private final Process process;

  private GantryProcess(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  public static Path jar() {
    String jar = System.getProperty("gantry.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("system property gantry.jar must name the built jar (run through mvn verify); got " + jar);
    }
    return Path.of(jar);
  }

  /** Starts {@code gantry start <args>} in {@code workDir}, with no GANTRY_* variables inherited. */
  public static GantryProcess start(String name, Path workDir, List<String> args) {
    return start(name, workDir, args, Map.of());
  }

  /** As {@link #start(String, Path, List)}, with {@code env} (e.g. GANTRY_CLUSTER_SECRET) set. */
  public static GantryProcess start(String name, Path workDir, List<String> args, Map<String, String> env) {
    return start(name, workDir, List.of(), args, env);
  }

  /**
   * As {@link #start(String, Path, List, Map)}, with {@code jvmOptions} (e.g. {@code -Dgantry.sysfs=...})
   * given to the node's JVM before {@code -jar}.
   */
  public static GantryProcess start(String name, Path workDir, List<String> jvmOptions, List<String> args,
      Map<String, String> env) {
    List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar().toAbsolutePath().toString(), "start"));
    command.addAll(args);
    return launch(name, workDir, command, env);
  }

  /** The {@code java} of the JVM running the tests. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Starts {@code command} as given (a README's own command line, say) in {@code workDir}, as {@link #start} does. */
  public static GantryProcess launch(String name, Path workDir, List<String> command) {
    return launch(name, workDir, command, Map.of());
  }

  private static GantryProcess launch(String name, Path workDir, List<String> command, Map<String, String> env) {
    try {
      Files.createDirectories(LOG_DIR);
      Files.createDirectories(workDir);
      Path log = LOG_DIR.resolve(name + ".log");
      if (STARTED.add(name)) {
        Files.deleteIfExists(log);
      }
      ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().keySet().removeIf(key -> key.startsWith("GANTRY_"));
      builder.environment().putAll(env);
      Files.writeString(log, "=== " + String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      Process process = builder.start();
      System.out.println("process log: " + log);  // the test's -output.txt names it for scripts/failure-digest.sh
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "kill-" + name));
      return new GantryProcess(name, log, process);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  public String name() {
    return name;
  }

  public Process process() {
    return process;
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL (the direct child is the JVM itself, so this is a real {@code kill -9}). */
  public void kill() {
    process.destroyForcibly();
    waitFor(10);
  }

  /** Waits for the process to exit; answers its exit code, or null when it is still running after the wait. */
  public Integer waitFor(long seconds) {
    try {
      return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Everything the process printed so far. */
  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      if (waitFor(15) == null) {
        kill();
      }
    }
  }
}
