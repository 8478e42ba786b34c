package dev.gantry.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The container an engine command runs in (container mode): the runtime's client, the container's name and
 * the env file that carries the engine's environment. The node removes a leftover container of that name
 * before each start, and on stop stops it, removes it and deletes the env file. {@link #stop} and
 * {@link #remove} block (up to {@link #COMMAND_TIMEOUT_S} each): call them off the event loop.
 */
public record EngineContainer(String runtime, String name, Path envFile) {

  static final long COMMAND_TIMEOUT_S = 30;
  private static final Logger LOG = LoggerFactory.getLogger(EngineContainer.class);

  /** {@code stop}: the engine gets SIGTERM, and SIGKILL after 10 s. */
  public List<String> stopArgv() {
    return List.of(runtime, "stop", "--time", "10", name);
  }

  /** {@code rm --force}: removes the container, running or not. */
  public List<String> removeArgv() {
    return List.of(runtime, "rm", "--force", name);
  }

  void stop() {
    run(stopArgv());
  }

  void remove() {
    run(removeArgv());
  }

  /** Runs a runtime command to its end; a failure (no such container, say) is only logged. */
  private static void run(List<String> argv) {
    try {
      Process command = new ProcessBuilder(argv).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!command.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS)) {
        command.destroyForcibly();
        LOG.warn("container command did not finish [command: {}]", String.join(" ", argv));
      }
    } catch (IOException e) {
      LOG.warn("cannot run container command [command: {}] [reason: {}]", String.join(" ", argv), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
