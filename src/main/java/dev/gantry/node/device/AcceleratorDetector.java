package dev.gantry.node.device;

import dev.gantry.common.DeviceVendor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds this node's accelerators: the PCI scan says which vendors are present (every vendor when sysfs
 * has no PCI tree), then each vendor's tool is read in its most machine-readable mode. A vendor whose
 * tool is absent, fails, hangs (cut off by {@link ToolRunner}) or prints what cannot be read gives no
 * devices and a log line; the other vendors are still read. Blocks: call it off the event loop.
 */
public final class AcceleratorDetector {

  /** Where sysfs is mounted (default {@code /sys}); tests point it at a fake tree. */
  public static final String SYSFS_PROPERTY = "gantry.sysfs";
  /** A directory searched for vendor tools before PATH; tests put fake tools there. */
  public static final String TOOLS_PROPERTY = "gantry.device.tools";

  /** What GPUStack asks hy-smi and rocm-smi for (the flags both know). */
  static final String SMI_JSON = "--showid --showmeminfo vram --showpower --showserial --showuse --showtemp"
      + " --showproductname --showuniqueid --json";
  /** AMD's rocm-smi also gives the driver version. */
  static final String ROCM_SMI_JSON = SMI_JSON.replace(" --json", " --showdriverversion --json");

  private static final Logger LOG = LoggerFactory.getLogger(AcceleratorDetector.class);

  private final String node;
  private final PciScan pci;
  private final ToolRunner tools;
  private final Map<String, Integer> queryLevel = new ConcurrentHashMap<>();

  public AcceleratorDetector(String node, PciScan pci, ToolRunner tools) {
    this.node = Objects.requireNonNull(node, "node");
    this.pci = Objects.requireNonNull(pci, "pci");
    this.tools = Objects.requireNonNull(tools, "tools");
  }

  /** Reads {@link #SYSFS_PROPERTY} and {@link #TOOLS_PROPERTY} now; a 5 s timeout per tool. */
  public static AcceleratorDetector fromSystemProperties(String node) {
    String tools = System.getProperty(TOOLS_PROPERTY);
    return new AcceleratorDetector(node, new PciScan(Path.of(System.getProperty(SYSFS_PROPERTY, "/sys"))),
        new ToolRunner(tools == null ? null : Path.of(tools), ToolRunner.DEFAULT_TIMEOUT));
  }

  /** The accelerators of this node now, vendor by vendor in {@link DeviceVendor} order. */
  public List<Device> detect() {
    Set<DeviceVendor> vendors = pci.vendors().orElseGet(() -> EnumSet.allOf(DeviceVendor.class));
    List<Device> devices = new ArrayList<>();
    for (DeviceVendor vendor : vendors) {
      try {
        devices.addAll(read(vendor));
      } catch (RuntimeException e) {
        LOG.warn("{} devices not read: the tool's output cannot be parsed [reason: {}]", vendor.key(), e.getMessage());
      }
    }
    return devices;
  }

  List<Device> read(DeviceVendor vendor) {
    return switch (vendor) {
      case NVIDIA -> NvidiaMigDevices.expand(node, queryGpu(DeviceVendor.NVIDIA, "nvidia-smi"), tools, "nvidia-smi");
      case ILUVATAR -> queryGpu(DeviceVendor.ILUVATAR, "ixsmi");
      case AMD -> tools.run("rocm-smi", args(ROCM_SMI_JSON)).map(out -> RocmSmiJsonParser.parse(node, DeviceVendor.AMD, out))
          .or(() -> tools.run("amd-smi", "static").map(out -> AmdSmiParser.parse(node, out)))
          .orElse(List.of());
      case HYGON -> tools.run("hy-smi", args(SMI_JSON))
          .or(() -> tools.run("rocm-smi", args(SMI_JSON)))
          .map(out -> RocmSmiJsonParser.parse(node, DeviceVendor.HYGON, out)).orElse(List.of());
      case ASCEND -> tools.run("npu-smi", "info").map(out -> NpuSmiParser.info(node, out)).orElse(List.of());
      case MTHREADS -> tools.run("mthreads-gmi").map(out -> MthreadsGmiParser.parse(node, out)).orElse(List.of());
      case METAX -> tools.run("mx-smi").map(out -> MxSmiParser.parse(node, out)).orElse(List.of());
      case CAMBRICON -> tools.run("cnmon").map(out -> CnmonParser.parse(node, out)).orElse(List.of());
    };
  }

  /**
   * {@code --query-gpu} with compute capability, ECC errors and (nvidia-smi only) MIG mode, then without MIG mode,
   * then without ECC, then without compute capability for drivers that do not know those fields (the query that worked is remembered per tool, so
   * an old driver costs extra runs once, not in every heartbeat).
   */
  private List<Device> queryGpu(DeviceVendor vendor, String tool) {
    List<List<String>> queries = vendor == DeviceVendor.NVIDIA
        ? List.of(QueryGpuCsvParser.QUERY_WITH_MIG, QueryGpuCsvParser.QUERY_WITH_ECC,
            QueryGpuCsvParser.QUERY_WITH_CAPABILITY, QueryGpuCsvParser.QUERY)
        : List.of(QueryGpuCsvParser.QUERY_WITH_ECC, QueryGpuCsvParser.QUERY_WITH_CAPABILITY, QueryGpuCsvParser.QUERY);
    for (int i = queryLevel.getOrDefault(tool, 0); i < queries.size(); i++) {
      Optional<String> out = tools.run(tool, "--query-gpu=" + String.join(",", queries.get(i)), "--format=csv,nounits");
      if (out.isPresent()) {
        queryLevel.put(tool, i);
        return QueryGpuCsvParser.parse(node, vendor, out.get(), queries.get(i));
      }
    }
    return List.of();
  }

  private static String[] args(String line) {
    return Arrays.stream(line.split(" ")).toArray(String[]::new);
  }
}
