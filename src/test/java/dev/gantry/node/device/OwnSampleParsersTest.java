package dev.gantry.node.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The table parsers on the suite's own samples ({@code src/test/resources/accelerators}), so every vendor
 * is covered even where the captured outputs in {@code ../shared} are absent.
 */
class OwnSampleParsersTest {

  private static final long MIB = 1L << 20;

  static String sample(String name) {
    try (InputStream in = OwnSampleParsersTest.class.getResourceAsStream("/accelerators/" + name)) {
      assertThat(in).as("sample " + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void mooreThreads() {
    List<Device> devices = MthreadsGmiParser.parse("n", sample("mthreads-gmi-2x-s4000.txt"));

    assertThat(devices).containsExactly(
        new Device("n:musa:0", "mthreads", "musa", 0, "MTT S4000", null, 49152 * MIB, 1024 * MIB, 12, 41, null,
            "3.0.0", null, null, null, "00000000:3b:00.0", null),
        new Device("n:musa:1", "mthreads", "musa", 1, "MTT S4000", null, 49152 * MIB, 3 * MIB, 0, 39, null,
            "3.0.0", null, null, null, "00000000:5e:00.0", null));
  }

  @Test
  void iluvatar() {
    assertThat(IxsmiParser.parse("n", sample("ixsmi-1x-bi-v150.txt"))).containsExactly(
        new Device("n:corex:0", "iluvatar", "corex", 0, "Iluvatar BI-V150", null, 32768 * MIB, 16384 * MIB, 88, 52,
            150.0, "4.2.0", "10.2", null, null, "00000000:2A:00.0", null));
  }

  @Test
  void cambricon() {
    assertThat(CnmonParser.parse("n", sample("cnmon-1x-mlu370-s4.txt"))).containsExactly(
        new Device("n:neuware:0", "cambricon", "neuware", 0, "MLU370-S4", null, 23374 * MIB, 9000 * MIB, 41, 47,
            55.0, "5.10.29", null, null, null, "0000:4F:00.0", null, 0L));
  }

  @Test
  void metax() {
    assertThat(MxSmiParser.parse("n", sample("mx-smi-1x-c500.txt"))).containsExactly(
        new Device("n:maca:0", "metax", "maca", 0, "MetaX C500", null, 65536 * MIB, 40000 * MIB, 63, 58, 210.0,
            "3.0.11", "3.0.0.8", null, "Available", "0000:1b:00.0", null));
  }

  @Test
  void amdSmiStaticOfAWholeGpuInSpxModeHasNoPartition() {
    assertThat(AmdSmiParser.parse("n", sample("amd-smi-static-1x-mi300x.txt"))).containsExactly(
        new Device("n:rocm:0", "amd", "rocm", 0, "AMD Instinct MI300X", "0x1A2B3C4D5E6F7788", null, null, null, null,
            null, "6.10.5", null, "gfx942", null, "0000:0c:00.0", null));
  }

  @Test
  void ascendAndNvidiaAndHygonSamplesAreReadByTheDetectorTests() {
    assertThat(NpuSmiParser.info("n", sample("npu-smi-info-2x-910b3.txt"))).hasSize(2);
    assertThat(QueryGpuCsvParser.parse("n", dev.gantry.common.DeviceVendor.NVIDIA,
        sample("nvidia-smi-query-gpu-2x-l40s.csv"), List.of())).hasSize(2);
    assertThat(RocmSmiJsonParser.parse("n", dev.gantry.common.DeviceVendor.HYGON,
        sample("hy-smi-json-2x-k100.json"))).hasSize(2);
  }
}
