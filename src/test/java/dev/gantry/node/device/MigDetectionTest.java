package dev.gantry.node.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.engine.Backends;
import dev.gantry.engine.EngineCommand;
import dev.gantry.engine.LaunchSpec;
import dev.gantry.testing.FakeAccelerators;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live detection of MIG devices: a fake {@code nvidia-smi} answering {@code --query-gpu} with an H100 in MIG
 * mode beside a whole H100, and {@code -L} / {@code -q -x} with the real captured outputs of
 * {@code ../shared/fixtures/accelerators/nvidia}.
 */
class MigDetectionTest {

  private static final long MIB = 1L << 20;
  private static final String MIG_UUID = "MIG-b3061c09-2a4c-5026-a575-79f86a5bb12c";
  private static final String QUERY = "index, name, uuid, memory.total [MiB], memory.used [MiB], utilization.gpu [%], "
      + "temperature.gpu, power.draw [W], driver_version, pci.bus_id, compute_cap, "
      + "ecc.errors.uncorrected.volatile.total, mig.mode.current\n"
      + "0, NVIDIA H100 80GB HBM3, GPU-950792bf-a01c-3f1a-e122-3473e67f54b2, 81559, 3703, [N/A], 38, 72.10, "
      + "575.57.08, 00000000:00:09.0, 9.0, 0, Enabled\n"
      + "1, NVIDIA H100 80GB HBM3, GPU-11111111-2222-3333-4444-555555555555, 81559, 0, 0, 30, 70.00, "
      + "575.57.08, 00000000:00:0A.0, 9.0, 0, Disabled\n";

  /** The captured {@code -q -x} lacks its {@code </mig_devices>} (trimmed by GPUStack): closed here. */
  private static String closedXml() {
    return "sed 's|^        <temperature>|        </mig_devices>\\n        <temperature>|' '"
        + SharedAcceleratorFixtures.dir().resolve("nvidia/nvidia-smi-q-x-mig-trimmed.xml").toAbsolutePath() + "'";
  }

  @TempDir
  Path dir;

  /** A fake nvidia-smi: the query above, the captured {@code -L} plus the whole GPU 1, and {@code -q -x}. */
  private FakeAccelerators fakeNvidiaSmi(String qx) throws Exception {
    Path fixtures = SharedAcceleratorFixtures.dir().resolve("nvidia").toAbsolutePath();
    Path query = dir.resolve("query.csv");
    java.nio.file.Files.writeString(query, QUERY);
    return new FakeAccelerators(dir).pci("0000:00:09.0", 0x10de, 0x030200).pci("0000:00:0a.0", 0x10de, 0x030200)
        .tool("nvidia-smi", "case \"$1\" in\n"
            + "  --query-gpu=*) cat '" + query + "';;\n"
            + "  -L) cat '" + fixtures.resolve("nvidia-smi-L-h100-80gb-hbm3-mig.txt") + "';"
            + " echo 'GPU 1: NVIDIA H100 80GB HBM3 (UUID: GPU-11111111-2222-3333-4444-555555555555)';;\n"
            + "  -q) " + qx + ";;\n"
            + "  *) exit 9;;\nesac");
  }

  private static List<Device> detect(FakeAccelerators fake) {
    return new AcceleratorDetector("n1", new PciScan(fake.sysfs()), new ToolRunner(fake.tools(), Duration.ofSeconds(10)))
        .detect();
  }

  @Test
  void aGpuInMigModeIsReplacedByItsMigDevicesWithUuidProfileAndMemory() throws Exception {
    List<Device> devices = detect(fakeNvidiaSmi(closedXml()));

    assertThat(devices).extracting(Device::id).as("GPU 0 is partitioned: only its MIG device; GPU 1 whole")
        .containsExactly("n1:cuda:100", "n1:cuda:1");
    Device mig = devices.get(0);
    assertThat(mig).isEqualTo(new Device("n1:cuda:100", "nvidia", "cuda", 100, "NVIDIA H100 80GB HBM3", MIG_UUID,
        40448 * MIB, 298 * MIB, null, 38, null, "575.57.08", null, "9.0", null, "00000000:00:09.0", "3g.40gb", 0L));
    assertThat(devices.get(1).partition()).isNull();
    assertThat(devices.get(1).memoryTotal()).isEqualTo(81559 * MIB);
  }

  @Test
  void unreadableQxGivesTheProfilesMemoryAndWithoutListTheGpuIsNotOffered() throws Exception {
    Path xml = SharedAcceleratorFixtures.dir().resolve("nvidia/nvidia-smi-q-x-mig-trimmed.xml").toAbsolutePath();
    List<Device> devices = detect(fakeNvidiaSmi("cat '" + xml + "'"));

    assertThat(devices.get(0).uuid()).isEqualTo(MIG_UUID);
    assertThat(devices.get(0).memoryTotal()).isEqualTo(40_000_000_000L);
    assertThat(devices.get(0).memoryUsed()).isNull();

    FakeAccelerators noList = new FakeAccelerators(dir.resolve("b")).pci("0000:00:09.0", 0x10de, 0x030200)
        .tool("nvidia-smi", "case \"$1\" in --query-gpu=*) cat '" + dir.resolve("query.csv") + "';; *) exit 9;; esac");
    assertThat(detect(noList)).extracting(Device::id).as("the MIG-mode GPU is never offered whole")
        .containsExactly("n1:cuda:1");
  }

  @Test
  void anEnginePlacedOnAMigDeviceGetsItsUuidInCudaVisibleDevices() throws Exception {
    PartitionUuids.record("n1", detect(fakeNvidiaSmi(closedXml())));
    JsonObject model = new JsonObject().put("name", "qwen").put("backend", "llama.cpp").put("local_path", "/m.gguf");
    List<String> placed = List.of("n1:cuda:100", "n1:cuda:1");

    EngineCommand command = Backends.command(new LaunchSpec(model, "i1", "127.0.0.1", 40001, "k", List.of(100, 1),
        "/jdk/bin/java", "cp", "llama-server", "cuda").withVisibleIds(placed.stream().map(PartitionUuids::visibleId).toList()));

    assertThat(command.env()).containsEntry("CUDA_VISIBLE_DEVICES", MIG_UUID + ",1");
    PartitionUuids.record("n1", List.of());
    assertThatThrownBy(() -> PartitionUuids.visibleId("n1:cuda:100")).as("a partition gone is forgotten, not guessed")
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MIG device n1:cuda:100 is not among");
    assertThat(PartitionUuids.visibleId("n1:cuda:1")).isEqualTo("1");
  }

  @Test
  void profilesNameTheirMemory() {
    assertThat(NvidiaMigDevices.profileBytes("1g.10gb")).isEqualTo(10_000_000_000L);
    assertThat(NvidiaMigDevices.profileBytes("1g.24gb+me")).isEqualTo(24_000_000_000L);
    assertThat(NvidiaMigDevices.profileBytes("odd")).isNull();
    assertThat(NvidiaMigDevices.index(1, 2)).isEqualTo(202);
  }
}
