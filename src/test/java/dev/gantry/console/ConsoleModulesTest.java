package dev.gantry.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The console's pure modules (the watch-list reducer, SSE parsing, the deploy form's rules, usage
 * maths) are tested in Node ({@code webroot/js/*.test.mjs}, {@code node --test}); this runs them
 * in the Maven build. Skipped where Node is not installed.
 */
class ConsoleModulesTest {

  @Test
  void theNodeTestsOfTheConsoleModulesPass() throws Exception {
    assumeTrue(nodeAvailable(), "node is not installed");
    Path output = Files.createTempFile("gantry-node-test-", ".txt");
    try {
      Process process = new ProcessBuilder("node", "--test", "webroot/js/").redirectErrorStream(true)
          .redirectOutput(output.toFile()).start();
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("node --test finished").isTrue();
      String report = Files.readString(output, StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as(report).isZero();
      assertThat(report).contains("# fail 0").containsPattern("# pass [1-9]");
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static boolean nodeAvailable() {
    try {
      Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
