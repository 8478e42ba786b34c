package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ParentWatchTest {

  private static Process start(String... argv) throws Exception {
    return new ProcessBuilder(ParentWatch.wrap(List.of(argv))).redirectErrorStream(true).start();
  }

  private static void awaitGone(ProcessHandle handle, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (handle.isAlive() && Instant.now().isBefore(deadline)) {
      Thread.onSpinWait();
      Thread.sleep(20);
    }
  }

  @Test
  void passesTheEnginesExitCodeThrough() throws Exception {
    Process wrapper = start("sh", "-c", "exit 7");
    assertThat(wrapper.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(wrapper.exitValue()).isEqualTo(7);
  }

  @Test
  void stopsTheEngineWhenThePipeToTheNodeCloses() throws Exception {
    Process wrapper = start("sleep", "300");
    ProcessHandle engine = awaitChild(wrapper, "sleep");
    wrapper.getOutputStream().close();
    awaitGone(engine, Duration.ofSeconds(10));
    assertThat(engine.isAlive()).isFalse();
    assertThat(wrapper.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void passesATermOnToTheEngine() throws Exception {
    Process wrapper = start("sleep", "300");
    ProcessHandle engine = awaitChild(wrapper, "sleep");
    wrapper.destroy();
    awaitGone(engine, Duration.ofSeconds(10));
    assertThat(engine.isAlive()).isFalse();
    assertThat(wrapper.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aTermThatArrivesWhileTheEngineStartsStillStopsIt() throws Exception {
    List<Process> wrappers = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Process wrapper = start("sleep", "307");
      wrappers.add(wrapper);
      wrapper.destroy();  // at once: the TERM lands anywhere in the wrapper's start
    }
    for (Process wrapper : wrappers) {
      assertThat(wrapper.waitFor(15, TimeUnit.SECONDS)).isTrue();
    }
    dev.gantry.testing.Eventually.await(Duration.ofSeconds(15), () -> assertThat(ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").endsWith("sleep 307"))).as("engines left running").isEmpty());
  }

  private static ProcessHandle awaitChild(Process wrapper, String command) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(10);
    while (Instant.now().isBefore(deadline)) {
      var child = wrapper.children().filter(c -> c.info().command().orElse("").endsWith(command)).findFirst();
      if (child.isPresent()) {
        return child.get();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the wrapper did not start " + command);
  }
}
