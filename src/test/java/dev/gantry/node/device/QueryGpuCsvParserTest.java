package dev.gantry.node.device;

import dev.gantry.common.DeviceVendor;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryGpuCsvParserTest {

  /** The columns Gantry asked for before it read the header row; the samples under /nvidia-smi are in this form. */
  static final List<String> LEGACY = List.of("index", "name", "uuid", "memory.total", "memory.used",
      "utilization.gpu", "temperature.gpu", "power.draw");

  private static final long MIB = 1L << 20;

  @Test
  void readsEveryFieldOfAnEightGpuA100Node() {
    List<Device> devices = parse("n1", sample("a100-sxm4-80gb-x8.csv"));

    assertThat(devices).hasSize(8);
    assertThat(devices).extracting(Device::id).containsExactly(
        "n1:cuda:0", "n1:cuda:1", "n1:cuda:2", "n1:cuda:3", "n1:cuda:4", "n1:cuda:5", "n1:cuda:6", "n1:cuda:7");
    assertThat(devices.get(0)).isEqualTo(new Device("n1:cuda:0", "nvidia", "cuda", 0, "NVIDIA A100-SXM4-80GB",
        "GPU-f596d87f-bd69-a26e-46d1-bde34acab6ad", 81920 * MIB, 73728 * MIB, 97, 61, 389.12));
    assertThat(devices.get(7)).isEqualTo(new Device("n1:cuda:7", "nvidia", "cuda", 7, "NVIDIA A100-SXM4-80GB",
        "GPU-77b7de99-6e18-c68d-4a94-27e897c95fb0", 81920 * MIB, 4 * MIB, 0, 32, 62.41));
  }

  @Test
  void readsH100MemoryAsBytes() {
    List<Device> devices = parse("gpu-7", sample("h100-80gb-hbm3-x4.csv"));

    assertThat(devices).extracting(Device::name).containsOnly("NVIDIA H100 80GB HBM3");
    assertThat(devices).extracting(Device::memoryTotal).containsOnly(85_520_809_984L);
    assertThat(devices.get(2).memoryUsed()).isEqualTo(68423 * MIB);
    assertThat(devices.get(2).utilization()).isEqualTo(100);
    assertThat(devices.get(2).power()).isEqualTo(612.35);
    assertThat(devices.get(3).id()).isEqualTo("gpu-7:cuda:3");
  }

  @Test
  void readsAConsumerCard() {
    Device device = parse("desk", sample("rtx-4090.csv")).get(0);

    assertThat(device).isEqualTo(new Device("desk:cuda:0", "nvidia", "cuda", 0, "NVIDIA GeForce RTX 4090",
        "GPU-1d644b0e-bd73-aea0-de64-3dfcfe71e283", 24564 * MIB, 1015 * MIB, 3, 44, 26.71));
  }

  @Test
  void uncorrectedEccErrorsAreReadAndNaWhereEccIsOffIsNull() {
    String csv = "index, name, ecc.errors.uncorrected.volatile.total\n0, NVIDIA A100-SXM4-80GB, 3\n1, NVIDIA A100-SXM4-80GB, 0\n"
        + "2, NVIDIA GeForce RTX 4090, [N/A]\n";

    List<Device> devices = QueryGpuCsvParser.parse("n", DeviceVendor.NVIDIA, csv, QueryGpuCsvParser.QUERY_WITH_ECC);

    assertThat(devices).extracting(Device::eccErrors).containsExactly(3L, 0L, null);
    assertThat(devices.get(0).toJson().getLong("ecc_errors")).isEqualTo(3L);
    assertThat(Device.fromJson(devices.get(0).toJson())).isEqualTo(devices.get(0));
  }

  @Test
  void powerThatIsNotReportedIsNullNotZero() {
    List<Device> devices = parse("t", sample("t4-power-na.csv"));

    assertThat(devices).extracting(Device::name).containsExactly("Tesla T4", "Tesla T4");
    assertThat(devices).extracting(Device::power).containsExactly(null, null);
    assertThat(devices).extracting(Device::memoryTotal).containsExactly(15360 * MIB, 15360 * MIB);
    assertThat(devices.get(1).utilization()).isEqualTo(87);
  }

  @Test
  void migModeAndUnsupportedReadingsAreNull() {
    List<Device> devices = parse("m", sample("a100-mig.csv"));

    assertThat(devices.get(0).utilization()).isNull();
    assertThat(devices.get(0).power()).isEqualTo(53.2);
    assertThat(devices.get(1).utilization()).isZero();
    assertThat(devices.get(1).power()).isNull();
    assertThat(devices).extracting(Device::memoryTotal).containsOnly(40960 * MIB);
  }

  @Test
  void unifiedMemoryThatIsNotReportedIsNull() {
    Device device = parse("spark", sample("gb10-unified-memory.csv")).get(0);

    assertThat(device.name()).isEqualTo("NVIDIA GB10");
    assertThat(device.memoryTotal()).isNull();
    assertThat(device.memoryUsed()).isNull();
    assertThat(device.temperature()).isEqualTo(41);
    assertThat(device.power()).isEqualTo(4.51);
  }

  @Test
  void toleratesCrlfTrailingWhitespaceBlankLinesAndWarnings() {
    List<Device> devices = parse("n", sample("messy.csv"));

    assertThat(devices).hasSize(2);
    assertThat(devices.get(0).power()).isEqualTo(16.28);
    assertThat(devices.get(1).index()).isEqualTo(1);
    assertThat(devices.get(1).uuid()).isEqualTo("GPU-f609bc80-2eba-d6e4-2935-7b7c5b64c257");
    assertThat(devices.get(1).memoryUsed()).isEqualTo(21805 * MIB);
    assertThat(devices.get(1).power()).isNull();
  }

  @Test
  void whatTheToolSaysWithoutGpusGivesNoDevices() {
    assertThat(parse("n", sample("no-devices.txt"))).isEmpty();
    assertThat(parse("n", sample("driver-failure.txt"))).isEmpty();
    assertThat(parse("n", "")).isEmpty();
  }

  @Test
  void linesThatAreNotGpuRowsAreSkipped() {
    assertThat(line("n", "0, NVIDIA A10, GPU-1, 23028, 0, 0, 30")).isNull();
    assertThat(line("n", "index, name, uuid, a, b, c, d, e")).isNull();
    assertThat(line("n", "-1, NVIDIA A10, GPU-1, 23028, 0, 0, 30, 15.00")).isNull();
    assertThat(line("n", "   ")).isNull();
  }

  @Test
  void unitsAreToleratedWhenNounitsIsMissing() {
    Device device = line("n", "0, NVIDIA A10, GPU-a, 23028 MiB, 512 MiB, 12 %, 40, 55.10 W");

    assertThat(device.memoryTotal()).isEqualTo(23028 * MIB);
    assertThat(device.memoryUsed()).isEqualTo(512 * MIB);
    assertThat(device.utilization()).isEqualTo(12);
    assertThat(device.power()).isEqualTo(55.1);
  }

  @Test
  void aNameWithACommaIsKeptWhole() {
    Device device = line("n", "3, NVIDIA Future, Edition, GPU-b, 1024, 0, 0, 25, 10.00");

    assertThat(device.name()).isEqualTo("NVIDIA Future, Edition");
    assertThat(device.uuid()).isEqualTo("GPU-b");
    assertThat(device.id()).isEqualTo("n:cuda:3");
  }

  @Test
  void unreadableNumbersAndMissingUuidsAreNull() {
    Device device = line("n", "0, NVIDIA A10, [N/A], Unknown, 0, [Insufficient Permissions], N/A, [GPU requires reset]");

    assertThat(device.uuid()).isNull();
    assertThat(device.memoryTotal()).isNull();
    assertThat(device.memoryUsed()).isZero();
    assertThat(device.utilization()).isNull();
    assertThat(device.temperature()).isNull();
    assertThat(device.power()).isNull();
  }

  private static List<Device> parse(String node, String text) {
    return QueryGpuCsvParser.parse(node, DeviceVendor.NVIDIA, text, LEGACY);
  }

  private static Device line(String node, String text) {
    List<Device> devices = parse(node, text);
    return devices.isEmpty() ? null : devices.get(0);
  }

  @Test
  void readsColumnsByTheHeaderRowWhateverTheirOrderAndUnits() {
    List<Device> devices = QueryGpuCsvParser.parse("n", DeviceVendor.NVIDIA, String.join("\n",
        "temperature.gpu, memory.used [MiB], name, index, memory.total [MiB], compute_cap, driver_version, pci.bus_id",
        "41, 1309, NVIDIA L4, 3, 23034, 8.9, 550.54.15, 00000000:3B:00.0"), List.of());

    assertThat(devices).containsExactly(new Device("n:cuda:3", "nvidia", "cuda", 3, "NVIDIA L4", null,
        23034 * MIB, 1309 * MIB, null, 41, null, "550.54.15", null, "8.9", null, "00000000:3B:00.0", null));
  }

  static String sample(String name) {
    try (InputStream in = QueryGpuCsvParserTest.class.getResourceAsStream("/nvidia-smi/" + name)) {
      assertThat(in).as("sample " + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
