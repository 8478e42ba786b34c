package dev.gantry.node.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a vendor tool and answers its standard output, or nothing when the tool is absent, fails or does not
 * answer within the timeout (it is then killed with its children). Never throws: a broken tool of one
 * vendor must not stop the others from being read. Blocks, so call it off the event loop.
 */
public final class ToolRunner {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(ToolRunner.class);

  private final Path toolDir;
  private final Duration timeout;

  /**
   * @param toolDir where tools are looked for first (null: only PATH)
   * @param timeout how long a tool may run before it is killed
   */
  public ToolRunner(Path toolDir, Duration timeout) {
    this.toolDir = toolDir;
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** The executable run for {@code tool}: the one in the tool directory if there is one, else the name (PATH). */
  public String executable(String tool) {
    if (toolDir != null && Files.isExecutable(toolDir.resolve(tool))) {
      return toolDir.resolve(tool).toString();
    }
    return tool;
  }

  /**
   * What {@code tool args...} printed on stdout, when it ran and exited 0 in time. Its stderr (warnings
   * some tools print beside JSON) is kept apart, and only shown in the log when the tool fails.
   */
  public Optional<String> run(String tool, String... args) {
    List<String> command = new ArrayList<>();
    command.add(executable(tool));
    command.addAll(List.of(args));
    String name = Path.of(tool).getFileName().toString();
    Path output = null;
    Path errors = null;
    try {
      output = Files.createTempFile("gantry-" + name + "-", ".out");
      errors = Files.createTempFile("gantry-" + name + "-", ".err");
      Process process = new ProcessBuilder(command).redirectOutput(output.toFile()).redirectError(errors.toFile())
          .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        LOG.warn("device tool did not answer in time and was killed [tool: {}, timeout: {} ms]", tool, timeout.toMillis());
        return Optional.empty();
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        String said = (Files.readString(errors, StandardCharsets.UTF_8) + "\n" + text).lines()
            .filter(l -> !l.isBlank()).findFirst().orElse("").strip();
        LOG.warn("device tool failed, check the driver [tool: {}, exit: {}, output: {}]", tool, process.exitValue(), said);
        return Optional.empty();
      }
      return Optional.of(text);
    } catch (IOException e) {
      LOG.debug("device tool cannot run [tool: {}, reason: {}]", tool, e.getMessage());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      deleteQuietly(output);
      deleteQuietly(errors);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      if (file != null) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      LOG.debug("temporary file not deleted [file: {}, reason: {}]", file, e.getMessage());
    }
  }
}
