package dev.gantry.node.device;

import dev.gantry.common.DeviceVendor;
import dev.gantry.node.device.NvidiaSmiTextParsers.ListedGpu;
import dev.gantry.node.device.NvidiaSmiTextParsers.MigDevice;
import dev.gantry.node.device.NvidiaSmiTextParsers.MigMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces each NVIDIA GPU read in MIG mode ({@link QueryGpuCsvParser#MIG_MODE}) by its MIG devices, each a
 * {@link Device} of its own: partition = the profile ({@code 3g.40gb}), uuid = the MIG UUID (what
 * {@code CUDA_VISIBLE_DEVICES} takes), index = {@code 100 × (GPU index + 1) + MIG device number} (GPU 0's MIG
 * devices are 100, 101, ...; GPU 1's 200, ...: stable whatever the other GPUs do, never a whole GPU's index).
 * Memory comes from {@code nvidia-smi -q -x}, else from the profile ({@code 40gb} → 40 × 10⁹ bytes, a little
 * under the real size). Name, bus id, driver, compute capability, temperature, health and ECC errors are the
 * GPU's; utilisation and power are not per MIG device and stay null. The GPU itself is not listed: CUDA cannot
 * use a GPU in MIG mode as a whole, so it must not be offered for placement. Where {@code nvidia-smi -L} cannot
 * be read the GPU gives no devices and a log line.
 */
final class NvidiaMigDevices {

  private static final Logger LOG = LoggerFactory.getLogger(NvidiaMigDevices.class);
  private static final Pattern PROFILE_MEMORY = Pattern.compile("\\.(\\d+)gb");

  private NvidiaMigDevices() {
  }

  /** The index a MIG device of GPU {@code gpu} with number {@code device} gets. */
  static int index(int gpu, int device) {
    return 100 * (gpu + 1) + device;
  }

  /** {@code gpus} with each GPU in MIG mode replaced by its MIG devices (the tool asked only when one is). */
  static List<Device> expand(String node, List<Device> gpus, ToolRunner tools, String tool) {
    if (gpus.stream().noneMatch(NvidiaMigDevices::inMigMode)) {
      return gpus;
    }
    List<ListedGpu> listed = tools.run(tool, "-L").map(NvidiaSmiTextParsers::list).orElse(List.of());
    List<MigMemory> memory = migMemory(tools, tool);
    List<Device> out = new ArrayList<>();
    for (Device gpu : gpus) {
      if (!inMigMode(gpu)) {
        out.add(gpu);
        continue;
      }
      Optional<ListedGpu> match = listed.stream().filter(l -> l.uuid().equals(gpu.uuid())).findFirst()
          .or(() -> listed.stream().filter(l -> l.index() == gpu.index()).findFirst());
      if (match.isEmpty() || match.get().migDevices().isEmpty()) {
        LOG.warn("GPU in MIG mode without MIG devices listed by '{} -L'; not offered for placement [gpu: {}]",
            tool, gpu.id());
      }
      match.ifPresent(l -> l.migDevices().forEach(mig -> out.add(migDevice(node, gpu, mig, memory))));
    }
    return out;
  }

  private static boolean inMigMode(Device device) {
    return QueryGpuCsvParser.MIG_MODE.equals(device.partition());
  }

  private static List<MigMemory> migMemory(ToolRunner tools, String tool) {
    try {
      return tools.run(tool, "-q", "-x").map(NvidiaSmiTextParsers::migMemory).orElse(List.of());
    } catch (DeviceParseException e) {
      LOG.warn("MIG memory taken from the profiles: '{} -q -x' cannot be read [reason: {}]", tool, e.getMessage());
      return List.of();
    }
  }

  private static Device migDevice(String node, Device gpu, MigDevice mig, List<MigMemory> memory) {
    int index = index(gpu.index(), mig.device());
    Optional<MigMemory> read = memory.stream()
        .filter(m -> m.index() == mig.device() && m.busId().equalsIgnoreCase(String.valueOf(gpu.busId()))).findFirst();
    Long total = read.map(MigMemory::total).orElse(null);
    return new Device(Device.id(node, DeviceVendor.NVIDIA.type(), index), gpu.vendor(), gpu.type(), index, gpu.name(),
        mig.uuid(), total != null ? total : profileBytes(mig.profile()), read.map(MigMemory::used).orElse(null), null,
        gpu.temperature(), null, gpu.driverVersion(), gpu.runtimeVersion(), gpu.architecture(), gpu.health(),
        gpu.busId(), mig.profile(), gpu.eccErrors());
  }

  /** {@code 3g.40gb} → 40 × 10⁹ bytes; null when the profile names no size. */
  static Long profileBytes(String profile) {
    Matcher m = PROFILE_MEMORY.matcher(profile);
    return m.find() ? Long.parseLong(m.group(1)) * 1_000_000_000L : null;
  }
}
