package dev.gantry.node.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real processes: small shell scripts that stand in for vendor tools. */
class ToolRunnerTest {

  @TempDir
  Path dir;

  @Test
  void answersWhatTheToolPrintsAndPassesItsArguments() throws IOException {
    Path args = dir.resolve("args.txt");
    script("npu-smi", "echo \"$@\" > '" + args + "'\necho table");

    assertThat(new ToolRunner(dir, Duration.ofSeconds(10)).run("npu-smi", "info", "-m")).contains("table\n");
    assertThat(Files.readString(args).strip()).isEqualTo("info -m");
  }

  @Test
  void findsToolsInItsDirectoryBeforePath() throws IOException {
    Path tool = script("cnmon", "true");

    assertThat(new ToolRunner(dir, Duration.ofSeconds(1)).executable("cnmon")).isEqualTo(tool.toString());
    assertThat(new ToolRunner(dir, Duration.ofSeconds(1)).executable("mx-smi")).isEqualTo("mx-smi");
    assertThat(new ToolRunner(null, Duration.ofSeconds(1)).executable("cnmon")).isEqualTo("cnmon");
  }

  @Test
  void aMissingToolAnswersNothing() {
    assertThat(new ToolRunner(dir.resolve("absent"), Duration.ofSeconds(1)).run("gantry-no-such-tool-xyz")).isEmpty();
  }

  @Test
  void aToolThatIsNotExecutableAnswersNothing() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-program"), "not a program");

    assertThat(new ToolRunner(null, Duration.ofSeconds(1)).run(file.toString())).isEmpty();
  }

  @Test
  void aDriverFailureAnswersNothing() throws IOException {
    script("nvidia-smi", "echo \"NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\"\nexit 9");

    assertThat(new ToolRunner(dir, Duration.ofSeconds(10)).run("nvidia-smi")).isEmpty();
  }

  @Test
  void aToolThatHangsIsKilledAfterTheTimeout() throws IOException {
    script("ixsmi", "echo '0, Iluvatar BI-V100, 32768, 0, 0, 30'\nexec sleep 30");

    assertThat(new ToolRunner(dir, Duration.ofMillis(300)).run("ixsmi")).isEmpty();
  }


  @Test
  void stderrIsKeptOutOfTheAnswer() throws IOException {
    script("rocm-smi", "echo 'WARNING: AMD GPU device(s) is/are in a low-power state' >&2\necho '{\"card0\": {}}'");

    assertThat(new ToolRunner(dir, Duration.ofSeconds(10)).run("rocm-smi")).contains("{\"card0\": {}}\n");
  }

  private Path script(String name, String body) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }
}
