package dev.gantry.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/gpu-check.sh} on a machine without a GPU (a fake {@code nvidia-smi} first on PATH that exits
 * 9, as the real one does without a driver): every step is skipped with its reason, the script still ends
 * with exit 0 and leaves {@code summary.txt} in {@code $OUT}. No llama.cpp build ({@code GPU_CHECK_SKIP_BUILD=1}).
 */
class GpuCheckScriptTest {

  @TempDir
  Path dir;

  @Test
  void withoutAGpuEveryStepIsSkippedWithItsReasonAndTheScriptSucceeds() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path fake = bin.resolve("nvidia-smi");
    Files.writeString(fake, "#!/bin/sh\necho 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA"
        + " driver.' >&2\nexit 9\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    Path out = dir.resolve("results");
    ProcessBuilder run = new ProcessBuilder("bash", "scripts/gpu-check.sh").redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout.txt").toFile());
    run.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    run.environment().put("OUT", out.toString());
    run.environment().put("GPU_CHECK_SKIP_BUILD", "1");
    run.environment().put("GANTRY_JAR", dir.resolve("no-such.jar").toString());
    run.environment().remove("LLAMA_SERVER_CUDA");

    Process process = run.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the script ends").isTrue();

    String stdout = Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(stdout).isZero();
    assertThat(Files.readAllLines(out.resolve("summary.txt"))).containsExactly(
        "nvidia-smi: skipped - nvidia-smi exited 9: NVIDIA-SMI has failed because it could not communicate with the"
            + " NVIDIA driver.",
        "gantry-detection: skipped - no " + dir.resolve("no-such.jar") + " (build it with: mvn -o -B -q package -DskipTests)",
        "llama-cuda-build: skipped - GPU_CHECK_SKIP_BUILD=1",
        "llama-server-gpu: skipped - no CUDA llama-server (see llama-cuda-build)");
  }
}
