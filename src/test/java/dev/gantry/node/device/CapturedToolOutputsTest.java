package dev.gantry.node.device;

import dev.gantry.common.DeviceVendor;
import static dev.gantry.node.device.SharedAcceleratorFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every parser on the real captured outputs in {@code ../shared/fixtures/accelerators} (see its
 * README): each file is parsed, and the fields checked are the ones the file shows.
 */
class CapturedToolOutputsTest {

  private static final long MIB = 1L << 20;
  private static final List<String> ROW6 = List.of("index", "name", "memory.total", "memory.used",
      "utilization.gpu", "temperature.gpu");
  /** The three files the README says cannot be parsed whole. */
  private static final Set<String> BROKEN = Set.of("nvidia/nvidia-smi-q-x-mig-trimmed.xml",
      "hygon/hy-smi-json-k100ai-truncated.txt", "ascend/npu-smi-info-950pr-truncated.txt");

  /** Every captured file's parser, by file name prefix (vendor folder and tool command). */
  private static final Map<String, Function<String, Collection<?>>> PARSERS = new LinkedHashMap<>();

  static {
    PARSERS.put("nvidia/nvidia-smi-query-gpu-csv", s -> QueryGpuCsvParser.parse("n", DeviceVendor.NVIDIA, s, ROW6));
    PARSERS.put("nvidia/nvidia-smi-L", NvidiaSmiTextParsers::list);
    PARSERS.put("nvidia/nvidia-smi-mig-lci", NvidiaSmiTextParsers::computeInstances);
    PARSERS.put("nvidia/nvidia-smi-q-x", s -> NvidiaSmiTextParsers.queryXml("n", s));
    PARSERS.put("amd/rocm-smi-json", s -> RocmSmiJsonParser.parse("n", DeviceVendor.AMD, s));
    PARSERS.put("amd/amd-smi-metric", s -> AmdSmiParser.socketPower(s).entrySet());
    PARSERS.put("amd/amd-smi-", s -> AmdSmiParser.parse("n", s));
    PARSERS.put("amd/rocm-smi-showdriverversion-csv", s -> RocmSmiTextParser.csv(s).entrySet());
    PARSERS.put("amd/rocm-smi-showproductname-csv", s -> RocmSmiTextParser.csv(s).entrySet());
    PARSERS.put("amd/rocm-smi-showproductname-", s -> RocmSmiTextParser.gpuLines(s).entrySet());
    PARSERS.put("ascend/npu-smi-info-m-", NpuSmiParser::mapping);
    PARSERS.put("ascend/npu-smi-info-t-", s -> NpuSmiParser.perChip(s).entrySet());
    PARSERS.put("ascend/npu-smi-info-", s -> NpuSmiParser.info("n", s));
    PARSERS.put("cambricon/cnmon-", s -> CnmonParser.parse("n", s));
    PARSERS.put("hygon/hy-smi-json", s -> RocmSmiJsonParser.parse("n", DeviceVendor.HYGON, s));
    PARSERS.put("hygon/rocm-smi-json", s -> RocmSmiJsonParser.parse("n", DeviceVendor.HYGON, s));
    PARSERS.put("hygon/", s -> HySmiParser.parse("n", s));
    PARSERS.put("iluvatar/ixsmi-query-gpu-csv", s -> QueryGpuCsvParser.parse("n", DeviceVendor.ILUVATAR, s, ROW6));
    PARSERS.put("iluvatar/ixsmi-", s -> IxsmiParser.parse("n", s));
    PARSERS.put("metax/mx-smi-L-", s -> MxSmiParser.list("n", s));
    PARSERS.put("metax/mx-smi-", s -> MxSmiParser.parse("n", s));
    PARSERS.put("mthreads/mthreads-gmi-", s -> MthreadsGmiParser.parse("n", s));
  }

  @Test
  void everyCapturedFileIsParsedAndOnlyTheBrokenOnesFailOrComeOutPartial() {
    List<String> files = SharedAcceleratorFixtures.all();
    assertThat(files).hasSizeGreaterThanOrEqualTo(45);
    for (String name : files) {
      Function<String, Collection<?>> parser = PARSERS.entrySet().stream().filter(e -> name.startsWith(e.getKey()))
          .map(Map.Entry::getValue).findFirst()
          .orElseThrow(() -> new AssertionError("no parser for captured file " + name));
      try {
        assertThat(parser.apply(read(name))).as(name).isNotEmpty();
      } catch (DeviceParseException e) {
        assertThat(BROKEN).as(name + " failed: " + e.getMessage()).contains(name);
      }
    }
  }

  @Test
  void nvidiaQueryGpuCsv() {
    List<Device> rtx = QueryGpuCsvParser.parse("n", DeviceVendor.NVIDIA,
        read("nvidia/nvidia-smi-query-gpu-csv-2x-rtx4080super.txt"), ROW6);
    assertThat(rtx).extracting(Device::id).containsExactly("n:cuda:0", "n:cuda:1");
    assertThat(rtx).extracting(Device::name).containsOnly("NVIDIA GeForce RTX 4080 SUPER");
    assertThat(rtx).extracting(Device::memoryTotal).containsOnly(16376 * MIB);
    assertThat(rtx).extracting(Device::memoryUsed).containsExactly(1309 * MIB, 13625 * MIB);
    assertThat(rtx).extracting(Device::temperature).containsExactly(41, 39);
    assertThat(rtx).extracting(Device::utilization).containsOnly(0);

    Device a100 = QueryGpuCsvParser.parse("n", DeviceVendor.NVIDIA,
        read("nvidia/nvidia-smi-query-gpu-csv-a100-sxm4-80gb-mig-noperm.txt"), QueryGpuCsvParser.QUERY).get(0);
    assertThat(a100.name()).isEqualTo("NVIDIA A100-SXM4-80GB");
    assertThat(a100.driverVersion()).isEqualTo("535.161.08");
    assertThat(a100.temperature()).isEqualTo(47);
    assertThat(a100.utilization()).isNull();
    assertThat(a100.memoryTotal()).isNull();
    assertThat(a100.memoryUsed()).isNull();
  }

  @Test
  void nvidiaMigListings() {
    List<NvidiaSmiTextParsers.ListedGpu> gpus = NvidiaSmiTextParsers.list(read("nvidia/nvidia-smi-L-h100-80gb-hbm3-mig.txt"));
    assertThat(gpus).hasSize(1);
    assertThat(gpus.get(0).name()).isEqualTo("NVIDIA H100 80GB HBM3");
    assertThat(gpus.get(0).uuid()).isEqualTo("GPU-950792bf-a01c-3f1a-e122-3473e67f54b2");
    assertThat(gpus.get(0).migDevices()).containsExactly(
        new NvidiaSmiTextParsers.MigDevice("3g.40gb", 0, "MIG-b3061c09-2a4c-5026-a575-79f86a5bb12c"));

    assertThat(NvidiaSmiTextParsers.computeInstances(read("nvidia/nvidia-smi-mig-lci-2x-3g40gb.txt"))).containsExactly(
        new NvidiaSmiTextParsers.ComputeInstance(0, 1, "3g.40gb", 2, 0, "0:4"),
        new NvidiaSmiTextParsers.ComputeInstance(0, 2, "3g.40gb", 2, 0, "0:4"));
  }

  @Test
  void nvidiaXmlThatIsNotWellFormedIsAClearErrorAndReadsOnceClosed() {
    String xml = read("nvidia/nvidia-smi-q-x-mig-trimmed.xml");
    assertThatThrownBy(() -> NvidiaSmiTextParsers.queryXml("n", xml))
        .isInstanceOf(DeviceParseException.class).hasMessageContaining("not well-formed").hasMessageContaining("mig_devices");

    List<Device> devices = NvidiaSmiTextParsers.queryXml("n",
        xml.replace("        <temperature>", "        </mig_devices>\n        <temperature>"));
    assertThat(devices).hasSize(2);
    Device gpu = devices.get(0);
    assertThat(gpu.busId()).isEqualTo("00000000:00:09.0");
    assertThat(gpu.driverVersion()).isEqualTo("575.57.08");
    assertThat(gpu.runtimeVersion()).isEqualTo("12.9");
    assertThat(gpu.memoryTotal()).isEqualTo(81920 * MIB);
    assertThat(gpu.memoryUsed()).isEqualTo(3703 * MIB);
    assertThat(gpu.temperature()).isEqualTo(38);
    Device mig = devices.get(1);
    assertThat(mig.partition()).isEqualTo("MIG gi1 ci0");
    assertThat(mig.memoryTotal()).isEqualTo(40448 * MIB);
    assertThat(mig.memoryUsed()).isEqualTo(298 * MIB);
    assertThat(mig.id()).isEqualTo("n:cuda:1");
  }

  @Test
  void amdRocmSmiJson() {
    Device rx = RocmSmiJsonParser.parse("n", DeviceVendor.AMD, read("amd/rocm-smi-json-rx7800xt.json")).get(0);
    assertThat(rx).isEqualTo(new Device("n:rocm:0", "amd", "rocm", 0, "Navi 32 [Radeon RX 7700 XT / 7800 XT]",
        "0x5c88007d760374f3", 17163091968L, 11615076352L, 100, 45, 53.0, null, null, "gfx11001", null, null, null));
  }

  @Test
  void rocmSmiJsonIsFoundAmongBannerLines() {
    String noisy = "======= ROCm System Management Interface =======\n" + read("amd/rocm-smi-json-rx7800xt.json")
        + "\n============= End of ROCm SMI Log =============\n";
    assertThat(RocmSmiJsonParser.parse("n", DeviceVendor.AMD, noisy)).extracting(Device::name)
        .containsExactly("Navi 32 [Radeon RX 7700 XT / 7800 XT]");
  }

  @Test
  void amdSmiTextAndJson() {
    List<Device> cpx = AmdSmiParser.parse("n", read("amd/amd-smi-list-mi300-cpx.txt"));
    assertThat(cpx).extracting(Device::id).containsExactly("n:rocm:0", "n:rocm:1");
    assertThat(cpx).extracting(Device::busId).containsExactly("0000:23:00.0", "0000:26:00.0");
    assertThat(cpx).extracting(Device::uuid).containsOnly((String) null);

    Device mi308 = AmdSmiParser.parse("n", read("amd/amd-smi-static-asic-mi308x-cpx.txt")).get(0);
    assertThat(mi308.name()).isEqualTo("MI308X");
    assertThat(mi308.architecture()).isEqualTo("gfx942");
    assertThat(mi308.uuid()).isNull();

    assertThat(AmdSmiParser.parse("n", read("amd/amd-smi-static-partition-mi300-cpx-nps4.txt")).get(0).partition())
        .isEqualTo("CPX");
    assertThat(AmdSmiParser.blocks(read("amd/amd-smi-static-partition-mi300-cpx-nps4.txt")).get(0))
        .containsEntry("PARTITION.MEMORY_PARTITION", "NPS4");

    Device strix = AmdSmiParser.parse("n", read("amd/amd-smi-static-strix-halo-gfx1151.txt")).get(0);
    assertThat(strix.name()).isEqualTo("AMD Radeon Graphics");
    assertThat(strix.architecture()).isEqualTo("gfx1151");
    assertThat(strix.busId()).isEqualTo("0000:c5:00.0");
    assertThat(strix.driverVersion()).isEqualTo("6.16.6");
    assertThat(strix.uuid()).as("an all-zero serial is no identity").isNull();

    assertThat(AmdSmiParser.socketPower(read("amd/amd-smi-metric-p-json.json"))).isEqualTo(Map.of(0, 10.0));
  }

  @Test
  void amdRocmSmiCsvAndText() {
    assertThat(RocmSmiTextParser.csv(read("amd/rocm-smi-showdriverversion-csv-2x-mi100.txt")))
        .isEqualTo(Map.of("cardsystem", Map.of("Driver version", "4.18.0-348.12.2.el8_5.x86_64")));
    Map<String, Map<String, String>> products = RocmSmiTextParser.csv(read("amd/rocm-smi-showproductname-csv-2x-mi100.txt"));
    assertThat(products).containsOnlyKeys("card0", "card1");
    assertThat(products.get("card1")).containsEntry("Card series", "Arcturus GL-XL [AMD Instinct MI100]")
        .containsEntry("Card SKU", "D34316");
    Map<Integer, Map<String, String>> vf = RocmSmiTextParser.gpuLines(read("amd/rocm-smi-showproductname-mi300x-vf.txt"));
    assertThat(vf.get(0)).containsEntry("Card Series", "AMD Instinct MI300X VF").containsEntry("GFX Version", "gfx942")
        .containsEntry("Card Vendor", "Advanced Micro Devices, Inc. [AMD/ATI]");
  }

  @Test
  void ascendInfoTables() {
    List<Device> b2c = NpuSmiParser.info("n", read("ascend/npu-smi-info-2x-910b2c.txt"));
    assertThat(b2c).containsExactly(
        new Device("n:cann:0", "ascend", "cann", 0, "910B2C", null, 65536 * MIB, 3317 * MIB, 0, 53, 89.9,
            "23.0.3", null, null, "OK", "0000:5A:00.0", null),
        new Device("n:cann:1", "ascend", "cann", 1, "910B2C", null, 65536 * MIB, 3316 * MIB, 0, 53, 93.8,
            "23.0.3", null, null, "OK", "0000:29:00.0", null));

    List<Device> p3 = NpuSmiParser.info("n", read("ascend/npu-smi-info-2x-310p3.txt"));
    assertThat(p3).extracting(Device::memoryTotal).containsOnly(21534 * MIB);
    assertThat(p3).extracting(Device::memoryUsed).containsExactly(1074 * MIB, 1070 * MIB);
    assertThat(p3).extracting(Device::power).containsExactly(15.8, 15.4);
    assertThat(p3).extracting(Device::driverVersion).containsOnly((String) null);

    List<Device> atlas300 = NpuSmiParser.info("n", read("ascend/npu-smi-info-310-4chip-atlas800-3000.txt"));
    assertThat(atlas300).as("one board, four chips, by logic id").extracting(Device::id)
        .containsExactly("n:cann:3", "n:cann:4", "n:cann:5", "n:cann:6");
    assertThat(atlas300).extracting(Device::busId).containsExactly("0000:89:00.0", "0000:8A:00.0", "0000:8B:00.0", "0000:8C:00.0");
    assertThat(atlas300).extracting(Device::temperature).containsExactly(73, 74, 70, 65);
    assertThat(atlas300.get(0).memoryTotal()).isEqualTo(8192 * MIB);
    assertThat(atlas300.get(0).memoryUsed()).isEqualTo(2703 * MIB);
    assertThat(atlas300.get(0).driverVersion()).isEqualTo("21.0.4.B030");

    List<Device> a910 = NpuSmiParser.info("n", read("ascend/npu-smi-info-8x-910a-atlas800-9010.txt"));
    assertThat(a910).hasSize(8).extracting(Device::name).containsOnly("910A");
    assertThat(a910.get(3).power()).isEqualTo(191.7);
    assertThat(a910.get(7).busId()).isEqualTo("0000:3D:00.0");
    assertThat(a910).extracting(Device::memoryTotal).containsOnly(32768 * MIB);

    List<Device> a3 = NpuSmiParser.info("n", read("ascend/npu-smi-info-a3-ascend910.txt"));
    assertThat(a3).extracting(Device::busId).containsExactly("0000:9D:00.0", "0000:9F:00.0", "0000:99:00.0");
    assertThat(a3).extracting(Device::power).as("the second chip shows '-'").containsExactly(178.5, null, 186.3);
    assertThat(a3).extracting(Device::memoryUsed).containsExactly(3416 * MIB, 3195 * MIB, 3415 * MIB);

    List<Device> pr = NpuSmiParser.info("n", read("ascend/npu-smi-info-950pr-truncated.txt"));
    assertThat(pr).as("the cut row still gives the chip").hasSize(1);
    assertThat(pr.get(0).name()).isEqualTo("Ascend950PR");
    assertThat(pr.get(0).power()).isEqualTo(201.2);
    assertThat(pr.get(0).temperature()).isEqualTo(55);
    assertThat(pr.get(0).driverVersion()).isEqualTo("25.7.rc1.6");
    assertThat(pr.get(0).memoryTotal()).isEqualTo(131072 * MIB);
    assertThat(pr.get(0).memoryUsed()).isEqualTo(5225 * MIB);
  }

  @Test
  void ascendMappings() {
    assertThat(NpuSmiParser.mapping(read("ascend/npu-smi-info-m-310-4chip-atlas800-3000.txt"))).containsExactly(
        new NpuSmiParser.Chip(6, 0, 0, "MiniD"), new NpuSmiParser.Chip(6, 1, 1, "MiniD"),
        new NpuSmiParser.Chip(6, 2, 2, "MiniD"), new NpuSmiParser.Chip(6, 3, 3, "MiniD"),
        new NpuSmiParser.Chip(6, 4, null, "Mcu"));
    List<NpuSmiParser.Chip> p310 = NpuSmiParser.mapping(read("ascend/npu-smi-info-m-4x-310p-redacted.txt"));
    assertThat(p310).hasSize(12).filteredOn(c -> c.logicId() != null).extracting(NpuSmiParser.Chip::npu)
        .containsExactly(1, 1, 2, 2, 4, 4, 5, 5);
    assertThat(NpuSmiParser.mapping(read("ascend/npu-smi-info-m-8x-910a-atlas800-9010.txt")))
        .hasSize(8).extracting(NpuSmiParser.Chip::name).containsOnly("Ascend 910A");
    assertThat(NpuSmiParser.mapping(read("ascend/npu-smi-info-m-8x-910b-redacted.txt")))
        .hasSize(16).filteredOn(c -> c.logicId() == null).extracting(NpuSmiParser.Chip::name).containsOnly("Mcu");
  }

  @Test
  void ascendDetails() {
    assertThat(NpuSmiParser.perChip(read("ascend/npu-smi-info-t-board-310p.txt")).get(0))
        .containsEntry("Firmware Version", "7.1.0.4").containsEntry("PCIe Bus Info", "0000:81:00.0")
        .containsEntry("Die ID", "409921D4 2140A100 E54BDDD4 07CC040A 9B00301F");
    assertThat(NpuSmiParser.perChip(read("ascend/npu-smi-info-t-board-910b.txt")).get(0))
        .containsEntry("Firmware Version", "7.1.0.4.218").containsEntry("Chip Position ID", "1")
        .containsKeys("VDie ID", "NDie ID");
    Map<Integer, Map<String, String>> common310 = NpuSmiParser.perChip(read("ascend/npu-smi-info-t-common-310p.txt"));
    assertThat(common310).containsOnlyKeys(0, 1);
    assertThat(common310.get(1)).containsEntry("Temperature(C)", "59");
    assertThat(NpuSmiParser.perChip(read("ascend/npu-smi-info-t-common-910b.txt")).get(0))
        .containsEntry("Aicore Count", "32").containsEntry("NPU Real-time Power(W)", "69.0");
    Map<Integer, Map<String, String>> usages310 = NpuSmiParser.perChip(read("ascend/npu-smi-info-t-usages-310p.txt"));
    assertThat(usages310.get(0)).as("values before their Chip ID line").containsEntry("DDR Capacity(MB)", "44280");
    assertThat(usages310.get(1)).containsEntry("DDR Capacity(MB)", "43693");
    assertThat(NpuSmiParser.perChip(read("ascend/npu-smi-info-t-usages-910b.txt")).get(0))
        .containsEntry("HBM Capacity(MB)", "32768").containsEntry("DDR Capacity(MB)", "15171");
  }

  @Test
  void hygon() {
    List<Device> k100 = HySmiParser.parse("n", read("hygon/hy-smi-4x-k100ai.txt"));
    assertThat(k100).extracting(Device::id).containsExactly("n:dtk:0", "n:dtk:1", "n:dtk:2", "n:dtk:3");
    assertThat(k100).extracting(Device::temperature).containsExactly(49, 48, 53, 49);
    assertThat(k100).extracting(Device::power).containsExactly(118.0, 120.0, 116.0, 138.0);
    assertThat(k100).extracting(Device::utilization).containsOnly(0);
    List<Device> z100 = HySmiParser.parse("n", read("hygon/rocm-smi-dtk-4x-z100.txt"));
    assertThat(z100).extracting(Device::temperature).as("30.0c").containsExactly(30, 30, 29, 29);
    assertThat(z100).extracting(Device::power).containsExactly(38.0, 41.0, 38.0, 39.0);

    assertThatThrownBy(() -> RocmSmiJsonParser.parse("n", DeviceVendor.HYGON, read("hygon/hy-smi-json-k100ai-truncated.txt")))
        .isInstanceOf(DeviceParseException.class).hasMessageContaining("not a JSON object");
    assertThat(RocmSmiJsonParser.parse("n", DeviceVendor.HYGON, read("hygon/rocm-smi-json-k100ai.json"))).containsExactly(
        new Device("n:dtk:0", "hygon", "dtk", 0, "K100_AI", "a000000000000000", 65520 * MIB, 2 * MIB, 0, 37, 77.0,
            null, null, null, null, null, null));
    Device redacted = RocmSmiJsonParser.parse("n", DeviceVendor.HYGON, read("hygon/rocm-smi-json-k1xx-ai-redacted.json")).get(0);
    assertThat(redacted.memoryTotal()).isEqualTo(65520 * MIB);
    assertThat(redacted.utilization()).isZero();
    assertThat(redacted.temperature()).isEqualTo(41);
    assertThat(redacted.uuid()).isEqualTo("7100fa8866904061");
    Device z100l = RocmSmiJsonParser.parse("n", DeviceVendor.HYGON, read("hygon/rocm-smi-json-z100l.json")).get(0);
    assertThat(z100l.name()).isEqualTo("Z100L");
    assertThat(z100l.memoryTotal()).isEqualTo(32752 * MIB);
    assertThat(z100l.power()).isEqualTo(38.0);
  }

  @Test
  void iluvatar() {
    List<Device> v150 = IxsmiParser.parse("n", read("iluvatar/ixsmi-2x-bi-v150.txt"));
    assertThat(v150).containsExactly(
        new Device("n:corex:0", "iluvatar", "corex", 0, "Iluvatar BI-V150", null, 32768 * MIB, 64 * MIB, 0, 40, null,
            "4.3.0", "10.2", null, null, "00000000:10:00.0", null),
        new Device("n:corex:1", "iluvatar", "corex", 1, "Iluvatar BI-V150", null, 32768 * MIB, 64 * MIB, 0, 39, 104.0,
            "4.3.0", "10.2", null, null, "00000000:13:00.0", null));
    Device v100 = IxsmiParser.parse("n", read("iluvatar/ixsmi-bi-v100.txt")).get(0);
    assertThat(v100.memoryUsed()).isEqualTo(257 * MIB);
    assertThat(v100.power()).isEqualTo(40.0);
    assertThat(v100.driverVersion()).isEqualTo("3.1.0");
    List<Device> mr = QueryGpuCsvParser.parse("n", DeviceVendor.ILUVATAR, read("iluvatar/ixsmi-query-gpu-csv-mr-v50-mr-v100.txt"), ROW6);
    assertThat(mr).extracting(Device::name).containsExactly("Iluvatar MR-V50", "Iluvatar MR-V100");
    assertThat(mr).extracting(Device::temperature).as("30 C").containsExactly(30, 36);
    assertThat(mr).extracting(Device::memoryUsed).containsExactly(116 * MIB, 27996 * MIB);
  }

  @Test
  void cambricon() {
    List<Device> x4 = CnmonParser.parse("n", read("cambricon/cnmon-2x-mlu370-x4-v4.20.11.txt"));
    assertThat(x4).extracting(Device::name).containsExactly("MLU370-X4", "MLU370-X4");
    assertThat(x4).extracting(Device::driverVersion).as("from the Inited/Driver column").containsOnly("4.20.11");
    assertThat(x4).extracting(Device::power).containsExactly(30.0, 25.0);
    assertThat(x4).extracting(Device::memoryTotal).containsOnly(23308 * MIB);
    List<Device> x8 = CnmonParser.parse("n", read("cambricon/cnmon-2x-mlu370-x8-v5.10.13.txt"));
    assertThat(x8).extracting(Device::busId).containsExactly("0000:39:00.0", "0000:3D:00.0");
    assertThat(x8).extracting(Device::temperature).containsExactly(32, 39);
    assertThat(x8).extracting(Device::driverVersion).containsOnly("5.10.13");
    List<Device> x8b = CnmonParser.parse("n", read("cambricon/cnmon-2x-mlu370-x8-v5.10.22.txt"));
    assertThat(x8b).extracting(Device::id).containsExactly("n:neuware:0", "n:neuware:1");
    assertThat(x8b).extracting(Device::memoryTotal).containsOnly(20638 * MIB);
    assertThat(x8b).extracting(Device::power).containsOnly(107.0);
  }

  @Test
  void metax() {
    List<Device> c500 = MxSmiParser.parse("n", read("metax/mx-smi-8x-c500-v2.2.9.txt"));
    assertThat(c500).hasSize(8);
    assertThat(c500.get(0)).isEqualTo(new Device("n:maca:0", "metax", "maca", 0, "MetaX C500", null, 65536 * MIB,
        826 * MIB, 0, 35, 57.0, "3.4.4", "3.3.0.15", null, "Available", "0000:0e:00.0", null));
    assertThat(c500.get(7).busId()).isEqualTo("0000:38:00.0");
    List<Device> c550 = MxSmiParser.parse("n", read("metax/mx-smi-8x-c550-v2.1.6.txt"));
    assertThat(c550).hasSize(8).extracting(Device::name).containsOnly("MXC550");
    assertThat(c550.get(2).power()).isEqualTo(47.0);
    assertThat(c550.get(0).driverVersion()).isEqualTo("2.5.014");
    assertThat(c550.get(0).runtimeVersion()).isEqualTo("2.23.0.1018");
    assertThat(c550.get(0).memoryUsed()).isEqualTo(810 * MIB);
    List<Device> listed = MxSmiParser.list("n", read("metax/mx-smi-L-2x-c500.txt"));
    assertThat(listed).extracting(Device::id).containsExactly("n:maca:0", "n:maca:7");
    assertThat(listed.get(1).uuid()).isEqualTo("GPU-0e715b45-bcef-1500-e2db-752724095700");
    assertThat(listed.get(1).busId()).isEqualTo("0000:3c:00.0");
  }

  @Test
  void mooreThreads() {
    List<Device> s5000 = MthreadsGmiParser.parse("n", read("mthreads/mthreads-gmi-8x-s5000.txt"));
    assertThat(s5000).hasSize(8).extracting(Device::memoryTotal).containsOnly(81920 * MIB);
    assertThat(s5000.get(5).temperature()).isEqualTo(50);
    assertThat(s5000.get(0).driverVersion()).isEqualTo("5.1.0-server");
    assertThat(s5000.get(7).busId()).isEqualTo("00000000:da:00.0");
    Device s80 = MthreadsGmiParser.parse("n", read("mthreads/mthreads-gmi-s80.txt")).get(0);
    assertThat(s80).isEqualTo(new Device("n:musa:0", "mthreads", "musa", 0, "MTT S80", null, 16384 * MIB, 2 * MIB, 0,
        49, null, "2.7.0", null, null, null, "00000000:04:00.0", null));
  }
}
