package dev.gantry.node.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NvidiaSmiCsvParserTest {

  private static final long MIB = 1L << 20;

  @Test
  void readsEveryFieldOfAnEightGpuA100Node() {
    List<Device> devices = NvidiaSmiCsvParser.parse("n1", sample("a100-sxm4-80gb-x8.csv"));

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
    List<Device> devices = NvidiaSmiCsvParser.parse("gpu-7", sample("h100-80gb-hbm3-x4.csv"));

    assertThat(devices).extracting(Device::name).containsOnly("NVIDIA H100 80GB HBM3");
    assertThat(devices).extracting(Device::memoryTotal).containsOnly(85_520_809_984L);
    assertThat(devices.get(2).memoryUsed()).isEqualTo(68423 * MIB);
    assertThat(devices.get(2).utilization()).isEqualTo(100);
    assertThat(devices.get(2).power()).isEqualTo(612.35);
    assertThat(devices.get(3).id()).isEqualTo("gpu-7:cuda:3");
  }

  @Test
  void readsAConsumerCard() {
    Device device = NvidiaSmiCsvParser.parse("desk", sample("rtx-4090.csv")).get(0);

    assertThat(device).isEqualTo(new Device("desk:cuda:0", "nvidia", "cuda", 0, "NVIDIA GeForce RTX 4090",
        "GPU-1d644b0e-bd73-aea0-de64-3dfcfe71e283", 24564 * MIB, 1015 * MIB, 3, 44, 26.71));
  }

  @Test
  void powerThatIsNotReportedIsNullNotZero() {
    List<Device> devices = NvidiaSmiCsvParser.parse("t", sample("t4-power-na.csv"));

    assertThat(devices).extracting(Device::name).containsExactly("Tesla T4", "Tesla T4");
    assertThat(devices).extracting(Device::power).containsExactly(null, null);
    assertThat(devices).extracting(Device::memoryTotal).containsExactly(15360 * MIB, 15360 * MIB);
    assertThat(devices.get(1).utilization()).isEqualTo(87);
  }

  @Test
  void migModeAndUnsupportedReadingsAreNull() {
    List<Device> devices = NvidiaSmiCsvParser.parse("m", sample("a100-mig.csv"));

    assertThat(devices.get(0).utilization()).isNull();
    assertThat(devices.get(0).power()).isEqualTo(53.2);
    assertThat(devices.get(1).utilization()).isZero();
    assertThat(devices.get(1).power()).isNull();
    assertThat(devices).extracting(Device::memoryTotal).containsOnly(40960 * MIB);
  }

  @Test
  void unifiedMemoryThatIsNotReportedIsNull() {
    Device device = NvidiaSmiCsvParser.parse("spark", sample("gb10-unified-memory.csv")).get(0);

    assertThat(device.name()).isEqualTo("NVIDIA GB10");
    assertThat(device.memoryTotal()).isNull();
    assertThat(device.memoryUsed()).isNull();
    assertThat(device.temperature()).isEqualTo(41);
    assertThat(device.power()).isEqualTo(4.51);
  }

  @Test
  void toleratesCrlfTrailingWhitespaceBlankLinesAndWarnings() {
    List<Device> devices = NvidiaSmiCsvParser.parse("n", sample("messy.csv"));

    assertThat(devices).hasSize(2);
    assertThat(devices.get(0).power()).isEqualTo(16.28);
    assertThat(devices.get(1).index()).isEqualTo(1);
    assertThat(devices.get(1).uuid()).isEqualTo("GPU-f609bc80-2eba-d6e4-2935-7b7c5b64c257");
    assertThat(devices.get(1).memoryUsed()).isEqualTo(21805 * MIB);
    assertThat(devices.get(1).power()).isNull();
  }

  @Test
  void whatTheToolSaysWithoutGpusGivesNoDevices() {
    assertThat(NvidiaSmiCsvParser.parse("n", sample("no-devices.txt"))).isEmpty();
    assertThat(NvidiaSmiCsvParser.parse("n", sample("driver-failure.txt"))).isEmpty();
    assertThat(NvidiaSmiCsvParser.parse("n", "")).isEmpty();
  }

  @Test
  void linesThatAreNotGpuRowsAreSkipped() {
    assertThat(NvidiaSmiCsvParser.parseLine("n", "0, NVIDIA A10, GPU-1, 23028, 0, 0, 30")).isEmpty();
    assertThat(NvidiaSmiCsvParser.parseLine("n", "index, name, uuid, a, b, c, d, e")).isEmpty();
    assertThat(NvidiaSmiCsvParser.parseLine("n", "-1, NVIDIA A10, GPU-1, 23028, 0, 0, 30, 15.00")).isEmpty();
    assertThat(NvidiaSmiCsvParser.parseLine("n", "   ")).isEmpty();
  }

  @Test
  void unitsAreToleratedWhenNounitsIsMissing() {
    Device device = NvidiaSmiCsvParser.parseLine("n",
        "0, NVIDIA A10, GPU-a, 23028 MiB, 512 MiB, 12 %, 40, 55.10 W").orElseThrow();

    assertThat(device.memoryTotal()).isEqualTo(23028 * MIB);
    assertThat(device.memoryUsed()).isEqualTo(512 * MIB);
    assertThat(device.utilization()).isEqualTo(12);
    assertThat(device.power()).isEqualTo(55.1);
  }

  @Test
  void aNameWithACommaIsKeptWhole() {
    Device device = NvidiaSmiCsvParser.parseLine("n",
        "3, NVIDIA Future, Edition, GPU-b, 1024, 0, 0, 25, 10.00").orElseThrow();

    assertThat(device.name()).isEqualTo("NVIDIA Future, Edition");
    assertThat(device.uuid()).isEqualTo("GPU-b");
    assertThat(device.id()).isEqualTo("n:cuda:3");
  }

  @Test
  void unreadableNumbersAndMissingUuidsAreNull() {
    Device device = NvidiaSmiCsvParser.parseLine("n",
        "0, NVIDIA A10, [N/A], Unknown, 0, [Insufficient Permissions], N/A, [GPU requires reset]")
        .orElseThrow();

    assertThat(device.uuid()).isNull();
    assertThat(device.memoryTotal()).isNull();
    assertThat(device.memoryUsed()).isZero();
    assertThat(device.utilization()).isNull();
    assertThat(device.temperature()).isNull();
    assertThat(device.power()).isNull();
  }

  static String sample(String name) {
    try (InputStream in = NvidiaSmiCsvParserTest.class.getResourceAsStream("/nvidia-smi/" + name)) {
      assertThat(in).as("sample " + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
