package dev.gantry.node.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detects the NVIDIA GPUs of this node by running {@code nvidia-smi}. A node without the tool, without
 * a working driver or without GPUs has no NVIDIA devices: {@link #probe()} then answers an empty
 * list and never throws. It blocks for up to the timeout, so call it from {@code executeBlocking} or
 * a worker, never from an event loop.
 */
public final class NvidiaSmiProbe {

  public static final String DEFAULT_EXECUTABLE = "nvidia-smi";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(NvidiaSmiProbe.class);
  private static final int NO_DEVICES_EXIT = 6;

  private final String node;
  private final String executable;
  private final Duration timeout;

  /**
   * @param node       the node name, the first part of every device id
   * @param executable {@code nvidia-smi} from PATH, or a path to it
   * @param timeout    how long the tool may run before it is killed and no devices are reported
   */
  public NvidiaSmiProbe(String node, String executable, Duration timeout) {
    this.node = Objects.requireNonNull(node, "node");
    this.executable = Objects.requireNonNull(executable, "executable");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** {@code nvidia-smi} from PATH with a 5 s timeout. */
  public static NvidiaSmiProbe onPath(String node) {
    return new NvidiaSmiProbe(node, DEFAULT_EXECUTABLE, DEFAULT_TIMEOUT);
  }

  /** The command line it runs. */
  public List<String> command() {
    return List.of(executable, "--query-gpu=" + NvidiaSmiCsvParser.QUERY, "--format=csv,noheader,nounits");
  }

  /** The NVIDIA GPUs of this node now, or an empty list when there are none or they cannot be read. */
  public List<Device> probe() {
    Path output = null;
    try {
      output = Files.createTempFile("gantry-nvidia-smi-", ".csv");
      return run(output);
    } catch (IOException e) {
      LOG.debug("no nvidia gpus: nvidia-smi cannot run [executable: {}, reason: {}]", executable,
          e.getMessage());
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    } finally {
      deleteQuietly(output);
    }
  }

  private List<Device> run(Path output) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      LOG.warn("no nvidia gpus: nvidia-smi did not answer in time and was killed "
          + "[executable: {}, timeout: {} ms]", executable, timeout.toMillis());
      return List.of();
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    int exit = process.exitValue();
    if (exit != 0) {
      if (exit == NO_DEVICES_EXIT) {
        LOG.debug("no nvidia gpus: nvidia-smi found no devices [executable: {}]", executable);
      } else {
        LOG.warn("no nvidia gpus: nvidia-smi failed, check the driver [executable: {}, exit: {}, output: {}]",
            executable, exit, firstLine(text));
      }
      return List.of();
    }
    text.lines()
        .filter(line -> !line.isBlank() && NvidiaSmiCsvParser.parseLine(node, line).isEmpty())
        .forEach(line -> LOG.warn("nvidia-smi line skipped, not a gpu row [line: {}]", line.strip()));
    return NvidiaSmiCsvParser.parse(node, text);
  }

  private static String firstLine(String text) {
    return text.lines().filter(line -> !line.isBlank()).findFirst().orElse("").strip();
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.debug("temporary file not deleted [file: {}, reason: {}]", file, e.getMessage());
    }
  }
}
