package dev.gantry.node.device;

import dev.gantry.common.DeviceVendor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.FakeAccelerators;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detection on a fake sysfs tree with fake vendor tools (shell scripts printing the suite's samples). */
class AcceleratorDetectorTest {

  private static final long MIB = 1L << 20;

  @TempDir
  Path dir;

  private List<Device> detect(FakeAccelerators fake, Duration timeout) {
    return new AcceleratorDetector("n1", new PciScan(fake.sysfs()), new ToolRunner(fake.tools(), timeout)).detect();
  }

  @Test
  void pciScanFindsAcceleratorVendorsAndIgnoresOtherDevices() {
    FakeAccelerators fake = new FakeAccelerators(dir)
        .pci("0000:17:00.0", 0x10de, 0x030200)   // NVIDIA 3D controller
        .pci("0000:c5:00.0", 0x1002, 0x030000)   // AMD VGA (an iGPU)
        .pci("0000:c1:00.0", 0x19e5, 0x120000)   // Huawei processing accelerator: Ascend
        .pci("0000:3b:00.0", 0x19e5, 0x020000)   // Huawei network card: not an accelerator
        .pci("0000:00:1f.0", 0x8086, 0x060100);  // Intel ISA bridge

    assertThat(new PciScan(fake.sysfs()).vendors()).contains(Set.of(DeviceVendor.NVIDIA, DeviceVendor.AMD, DeviceVendor.ASCEND));
    assertThat(new PciScan(dir.resolve("nowhere")).vendors()).isEqualTo(Optional.empty());
  }

  @Test
  void anNvidiaCardBesideAnAmdGpuGivesBothWithTheirFields() {
    FakeAccelerators fake = new FakeAccelerators(dir)
        .pci("0000:17:00.0", 0x10de, 0x030200).pci("0000:65:00.0", 0x10de, 0x030200)
        .pci("0000:c5:00.0", 0x1002, 0x030000)
        .toolPrinting("nvidia-smi", "nvidia-smi-query-gpu-2x-l40s.csv")
        .toolPrinting("rocm-smi", "rocm-smi-json-mi210.json");

    List<Device> devices = detect(fake, Duration.ofSeconds(10));

    assertThat(devices).extracting(Device::id).containsExactly("n1:cuda:0", "n1:cuda:1", "n1:rocm:0");
    assertThat(devices.get(0)).isEqualTo(new Device("n1:cuda:0", "nvidia", "cuda", 0, "NVIDIA L40S",
        "GPU-0b1c2d3e-0000-1111-2222-333344445555", 46068 * MIB, 1024 * MIB, 12, 35, 81.5, "550.90.07", null, "8.9",
        null, "00000000:17:00.0", null));
    assertThat(devices.get(1).power()).isNull();
    assertThat(devices.get(2)).isEqualTo(new Device("n1:rocm:0", "amd", "rocm", 0, "AMD Instinct MI210",
        "0x2a1b3c4d5e6f7081", 68702699520L, 10737418240L, 7, 38, 42.0, "6.8.5", null, "gfx90a", null, null, null));
  }

  @Test
  void aFailingAmdToolDoesNotHideTheNvidiaCard() {
    FakeAccelerators fake = new FakeAccelerators(dir)
        .pci("0000:17:00.0", 0x10de, 0x030200).pci("0000:c5:00.0", 0x1002, 0x030000)
        .toolPrinting("nvidia-smi", "nvidia-smi-query-gpu-2x-l40s.csv")
        .tool("rocm-smi", "echo 'ERROR:root:Driver not initialized (amdgpu not found in modules)'\nexit 1")
        .tool("amd-smi", "echo '{\"card0\": {\"Card Se'");

    assertThat(detect(fake, Duration.ofSeconds(10))).extracting(Device::id).containsExactly("n1:cuda:0", "n1:cuda:1");
  }

  @Test
  void aToolThatPrintsGarbageOrHangsIsCutOffAndTheOthersAreRead() {
    FakeAccelerators fake = new FakeAccelerators(dir)
        .pci("0000:17:00.0", 0x10de, 0x030200).pci("0000:c1:00.0", 0x19e5, 0x120000)
        .pci("0000:c5:00.0", 0x1d94, 0x120000)
        .tool("nvidia-smi", "exec sleep 30")
        .tool("hy-smi", "echo '{\"card0\": {\"Card Se'")
        .toolPrinting("npu-smi", "npu-smi-info-2x-910b3.txt");

    List<Device> devices = detect(fake, Duration.ofMillis(500));

    assertThat(devices).extracting(Device::id).containsExactly("n1:cann:0", "n1:cann:1");
    assertThat(devices.get(1)).isEqualTo(new Device("n1:cann:1", "ascend", "cann", 1, "910B3", null, 65536 * MIB,
        52000 * MIB, 55, 44, 97.4, "24.1.rc2", null, null, "Warning", "0000:01:00.0", null));
  }

  @Test
  void withoutAPciTreeEveryVendorsToolIsTried() {
    FakeAccelerators fake = new FakeAccelerators(dir).toolPrinting("npu-smi", "npu-smi-info-2x-910b3.txt");

    List<Device> devices = new AcceleratorDetector("n1", new PciScan(dir.resolve("no-sysfs")),
        new ToolRunner(fake.tools(), Duration.ofSeconds(10))).detect();

    assertThat(devices).extracting(Device::id).containsExactly("n1:cann:0", "n1:cann:1");
  }

  @Test
  void aMachineWithoutAcceleratorsHasNone() {
    FakeAccelerators fake = new FakeAccelerators(dir).pci("0000:00:02.0", 0x8086, 0x030000)
        .toolPrinting("nvidia-smi", "nvidia-smi-query-gpu-2x-l40s.csv");

    assertThat(detect(fake, Duration.ofSeconds(10))).as("no NVIDIA device on the bus: its tool is not run").isEmpty();
  }

  @Test
  void anOldDriverWithoutComputeCapIsAskedTheShortQueryFromThenOn() throws Exception {
    Path calls = dir.resolve("calls.txt");
    FakeAccelerators fake = new FakeAccelerators(dir).pci("0000:17:00.0", 0x10de, 0x030200)
        .tool("nvidia-smi", "echo \"$1\" >> '" + calls + "'\n"
            + "case \"$1\" in *compute_cap*) echo 'Field \"compute_cap\" is not a valid field to query.'; exit 2;; esac\n"
            + "echo '0, NVIDIA T4, GPU-t4, 15360, 0, 0, 30, 9.1, 470.82.01, 00000000:00:1E.0'");
    AcceleratorDetector detector = new AcceleratorDetector("n1", new PciScan(fake.sysfs()),
        new ToolRunner(fake.tools(), Duration.ofSeconds(10)));

    List<Device> first = detector.detect();
    List<Device> second = detector.detect();

    assertThat(first).extracting(Device::name).containsExactly("NVIDIA T4");
    assertThat(second.get(0).driverVersion()).isEqualTo("470.82.01");
    assertThat(java.nio.file.Files.readAllLines(calls)).as("the longer queries (with MIG mode, with ECC, with compute_cap) are tried once")
        .filteredOn(line -> line.contains("compute_cap")).hasSize(3);
    assertThat(java.nio.file.Files.readAllLines(calls)).hasSize(5);
  }

  @Test
  void aToolThatRefusesTheEccFieldKeepsComputeCapAndReportsNoEccErrors() throws Exception {
    Path calls = dir.resolve("calls-ecc.txt");
    FakeAccelerators fake = new FakeAccelerators(dir).pci("0000:17:00.0", 0x10de, 0x030200)
        .tool("nvidia-smi", "echo \"$1\" >> '" + calls + "'\n"
            + "case \"$1\" in *ecc.errors*) echo 'Field \"ecc.errors.uncorrected.volatile.total\" is not a valid field to query.'; exit 2;; esac\n"
            + "echo '0, NVIDIA T4, GPU-t4, 15360, 0, 0, 30, 9.1, 470.82.01, 00000000:00:1E.0, 7.5'");
    AcceleratorDetector detector = new AcceleratorDetector("n1", new PciScan(fake.sysfs()),
        new ToolRunner(fake.tools(), Duration.ofSeconds(10)));

    detector.detect();
    Device t4 = detector.detect().get(0);

    assertThat(t4.architecture()).isEqualTo("7.5");
    assertThat(t4.eccErrors()).isNull();
    assertThat(java.nio.file.Files.readAllLines(calls)).filteredOn(line -> line.contains("ecc.errors")).hasSize(2);
    assertThat(java.nio.file.Files.readAllLines(calls)).hasSize(4);
  }

  @Test
  void hygonDcusAreReadFromHySmiOrElseDtksRocmSmi() {
    FakeAccelerators withHySmi = new FakeAccelerators(dir.resolve("a")).pci("0000:0a:00.0", 0x1d94, 0x120000)
        .toolPrinting("hy-smi", "hy-smi-json-2x-k100.json");
    FakeAccelerators dtkOnly = new FakeAccelerators(dir.resolve("b")).pci("0000:0a:00.0", 0x1d94, 0x120000)
        .toolPrinting("rocm-smi", "hy-smi-json-2x-k100.json");

    List<Device> devices = detect(withHySmi, Duration.ofSeconds(10));

    assertThat(devices).containsExactly(
        new Device("n1:dtk:0", "hygon", "dtk", 0, "K100_AI", "11aa22bb33cc44dd", 65520 * MIB, 20480 * MIB, 35, 51,
            120.0, null, null, null, null, null, null),
        new Device("n1:dtk:1", "hygon", "dtk", 1, "K100_AI", "55ee66ff77aa88bb", 65520 * MIB, 2 * MIB, 0, 44,
            80.0, null, null, null, null, null, null));
    assertThat(detect(dtkOnly, Duration.ofSeconds(10))).extracting(Device::id).containsExactly("n1:dtk:0", "n1:dtk:1");
  }
}
