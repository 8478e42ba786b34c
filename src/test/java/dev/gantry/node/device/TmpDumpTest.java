package dev.gantry.node.device;
import org.junit.jupiter.api.Test;
import static dev.gantry.node.device.SharedAcceleratorFixtures.read;
class TmpDumpTest {
  void p(String f, Object o) { System.out.println("=== " + f + "\n" + (o instanceof java.util.List<?> l ? l.stream().map(x -> x instanceof Device d ? d.toJson().encode() : String.valueOf(x)).collect(java.util.stream.Collectors.joining("\n")) : o)); }
  void t(String f, java.util.function.Function<String,Object> fn) { try { p(f, fn.apply(read(f))); } catch (RuntimeException e) { p(f, "EXC " + e); } }
  @Test void dump() {
    t("nvidia/nvidia-smi-query-gpu-csv-2x-rtx4080super.txt", s -> QueryGpuCsvParser.parse("n", Vendor.NVIDIA, s, java.util.List.of("index","name","memory.total","memory.used","utilization.gpu","temperature.gpu")));
    t("nvidia/nvidia-smi-query-gpu-csv-a100-sxm4-80gb-mig-noperm.txt", s -> QueryGpuCsvParser.parse("n", Vendor.NVIDIA, s, QueryGpuCsvParser.QUERY));
    t("nvidia/nvidia-smi-L-h100-80gb-hbm3-mig.txt", NvidiaSmiTextParsers::list);
    t("nvidia/nvidia-smi-mig-lci-2x-3g40gb.txt", NvidiaSmiTextParsers::computeInstances);
    t("nvidia/nvidia-smi-q-x-mig-trimmed.xml", s -> NvidiaSmiTextParsers.queryXml("n", s));
    t("nvidia/nvidia-smi-q-x-mig-trimmed.xml", s -> NvidiaSmiTextParsers.queryXml("n", s.replace("        <temperature>", "        </mig_devices>\n        <temperature>")));
    t("amd/rocm-smi-json-rx7800xt.json", s -> RocmSmiJsonParser.parse("n", Vendor.AMD, s));
    t("amd/amd-smi-list-mi300-cpx.txt", s -> AmdSmiParser.parse("n", s));
    t("amd/amd-smi-static-asic-mi308x-cpx.txt", s -> AmdSmiParser.parse("n", s));
    t("amd/amd-smi-static-partition-mi300-cpx-nps4.txt", s -> AmdSmiParser.parse("n", s));
    t("amd/amd-smi-static-strix-halo-gfx1151.txt", s -> AmdSmiParser.parse("n", s));
    t("amd/amd-smi-metric-p-json.json", AmdSmiParser::socketPower);
    t("amd/rocm-smi-showdriverversion-csv-2x-mi100.txt", RocmSmiTextParser::csv);
    t("amd/rocm-smi-showproductname-csv-2x-mi100.txt", RocmSmiTextParser::csv);
    t("amd/rocm-smi-showproductname-mi300x-vf.txt", RocmSmiTextParser::gpuLines);
    for (String f : new String[]{"npu-smi-info-2x-310p3.txt","npu-smi-info-2x-910b2c.txt","npu-smi-info-310-4chip-atlas800-3000.txt","npu-smi-info-8x-910a-atlas800-9010.txt","npu-smi-info-950pr-truncated.txt","npu-smi-info-a3-ascend910.txt"}) t("ascend/" + f, s -> NpuSmiParser.info("n", s));
    for (String f : new String[]{"npu-smi-info-m-310-4chip-atlas800-3000.txt","npu-smi-info-m-4x-310p-redacted.txt","npu-smi-info-m-8x-910a-atlas800-9010.txt","npu-smi-info-m-8x-910b-redacted.txt"}) t("ascend/" + f, NpuSmiParser::mapping);
    for (String f : new String[]{"npu-smi-info-t-board-310p.txt","npu-smi-info-t-board-910b.txt","npu-smi-info-t-common-310p.txt","npu-smi-info-t-common-910b.txt","npu-smi-info-t-usages-310p.txt","npu-smi-info-t-usages-910b.txt"}) t("ascend/" + f, s -> NpuSmiParser.perChip(s) + "\n" + NpuSmiParser.details(s));
    for (String f : new String[]{"cnmon-2x-mlu370-x4-v4.20.11.txt","cnmon-2x-mlu370-x8-v5.10.13.txt","cnmon-2x-mlu370-x8-v5.10.22.txt"}) t("cambricon/" + f, s -> CnmonParser.parse("n", s));
    t("hygon/hy-smi-4x-k100ai.txt", s -> HySmiParser.parse("n", s));
    t("hygon/rocm-smi-dtk-4x-z100.txt", s -> HySmiParser.parse("n", s));
    for (String f : new String[]{"hy-smi-json-k100ai-truncated.txt","rocm-smi-json-k100ai.json","rocm-smi-json-k1xx-ai-redacted.json","rocm-smi-json-z100l.json"}) t("hygon/" + f, s -> RocmSmiJsonParser.parse("n", Vendor.HYGON, s));
    t("iluvatar/ixsmi-2x-bi-v150.txt", s -> IxsmiParser.parse("n", s));
    t("iluvatar/ixsmi-bi-v100.txt", s -> IxsmiParser.parse("n", s));
    t("iluvatar/ixsmi-query-gpu-csv-mr-v50-mr-v100.txt", s -> QueryGpuCsvParser.parse("n", Vendor.ILUVATAR, s, java.util.List.of("index","name","memory.total","memory.used","utilization.gpu","temperature.gpu")));
    t("metax/mx-smi-8x-c500-v2.2.9.txt", s -> MxSmiParser.parse("n", s));
    t("metax/mx-smi-8x-c550-v2.1.6.txt", s -> MxSmiParser.parse("n", s));
    t("metax/mx-smi-L-2x-c500.txt", s -> MxSmiParser.list("n", s));
    t("mthreads/mthreads-gmi-8x-s5000.txt", s -> MthreadsGmiParser.parse("n", s));
    t("mthreads/mthreads-gmi-s80.txt", s -> MthreadsGmiParser.parse("n", s));
  }
}
