package dev.gantry.node.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real processes: small shell scripts that stand in for {@code nvidia-smi}. */
class NvidiaSmiProbeTest {

  @TempDir
  Path dir;

  @Test
  void runsTheDocumentedQuery() {
    assertThat(NvidiaSmiProbe.onPath("n1").command()).containsExactly("nvidia-smi",
        "--query-gpu=index,name,uuid,memory.total,memory.used,utilization.gpu,temperature.gpu,power.draw",
        "--format=csv,noheader,nounits");
  }

  @Test
  void readsTheDevicesTheToolPrintsAndPassesItTheQuery() throws IOException {
    Path sample = dir.resolve("sample.csv");
    Files.writeString(sample, NvidiaSmiCsvParserTest.sample("h100-80gb-hbm3-x4.csv"));
    Path args = dir.resolve("args.txt");
    Path tool = script("nvidia-smi", "echo \"$@\" > '" + args + "'\ncat '" + sample + "'");

    List<Device> devices = new NvidiaSmiProbe("n1", tool.toString(), Duration.ofSeconds(10)).probe();

    assertThat(devices).extracting(Device::id).containsExactly("n1:cuda:0", "n1:cuda:1", "n1:cuda:2", "n1:cuda:3");
    assertThat(Files.readString(args).strip()).isEqualTo(
        "--query-gpu=" + NvidiaSmiCsvParser.QUERY + " --format=csv,noheader,nounits");
  }

  @Test
  void aMissingToolMeansNoDevices() {
    NvidiaSmiProbe probe = new NvidiaSmiProbe("n1", dir.resolve("absent/nvidia-smi").toString(),
        Duration.ofSeconds(1));

    assertThat(probe.probe()).isEmpty();
  }

  @Test
  void aToolThatIsNotExecutableMeansNoDevices() throws IOException {
    Path file = Files.writeString(dir.resolve("nvidia-smi"), "not a program");

    assertThat(new NvidiaSmiProbe("n1", file.toString(), Duration.ofSeconds(1)).probe()).isEmpty();
  }

  @Test
  void aDriverFailureMeansNoDevices() throws IOException {
    Path tool = script("nvidia-smi", "echo \"NVIDIA-SMI has failed because it couldn't communicate with the "
        + "NVIDIA driver.\"\nexit 9");

    assertThat(new NvidiaSmiProbe("n1", tool.toString(), Duration.ofSeconds(10)).probe()).isEmpty();
  }

  @Test
  void noDevicesFoundMeansNoDevices() throws IOException {
    Path tool = script("nvidia-smi", "echo 'No devices were found'\nexit 6");

    assertThat(new NvidiaSmiProbe("n1", tool.toString(), Duration.ofSeconds(10)).probe()).isEmpty();
  }

  @Test
  void aToolThatHangsIsKilledAfterTheTimeout() throws IOException {
    Path tool = script("nvidia-smi", "echo '0, NVIDIA A10, GPU-a, 23028, 0, 0, 30, 15.00'\nexec sleep 30");
    NvidiaSmiProbe probe = new NvidiaSmiProbe("n1", tool.toString(), Duration.ofMillis(300));

    long start = System.nanoTime();
    List<Device> devices = probe.probe();

    assertThat(devices).isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void warningLinesAroundTheRowsAreSkipped() throws IOException {
    Path sample = dir.resolve("messy.csv");
    Files.writeString(sample, NvidiaSmiCsvParserTest.sample("messy.csv"));
    Path tool = script("nvidia-smi", "cat '" + sample + "'");

    assertThat(new NvidiaSmiProbe("n1", tool.toString(), Duration.ofSeconds(10)).probe())
        .extracting(Device::name).containsExactly("NVIDIA L4", "NVIDIA L4");
  }

  private Path script(String name, String body) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }
}
