package dev.gantry.engine;

import dev.gantry.common.DeviceVendor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment that limits an engine to the devices it was given, per vendor (engines.md §1.3):
 * {@code CUDA_VISIBLE_DEVICES} with {@code CUDA_DEVICE_ORDER=PCI_BUS_ID} (so the numbers match
 * {@code nvidia-smi}'s) for NVIDIA; {@code HIP_VISIBLE_DEVICES} for AMD ROCm and Hygon DTK;
 * {@code ASCEND_RT_VISIBLE_DEVICES} for Ascend; {@code MUSA_VISIBLE_DEVICES} (and
 * {@code CUDA_VISIBLE_DEVICES}, read by the MUSA ports of CUDA engines) for Moore Threads;
 * {@code CUDA_VISIBLE_DEVICES} for Iluvatar CoreX and MetaX MACA, whose runtimes mimic CUDA;
 * {@code MLU_VISIBLE_DEVICES} for Cambricon.
 */
public final class DeviceVisibility {

  private DeviceVisibility() {
  }

  /**
   * @param deviceType the runtime type of the device ids ({@code cuda}, {@code cann}, ...); null or unknown
   *                   is taken as {@code cuda}
   * @param indexes    the device indexes the engine may use; none gives no variables
   */
  public static Map<String, String> env(String deviceType, List<Integer> indexes) {
    return envOf(deviceType, indexes.stream().map(String::valueOf).toList());
  }

  /**
   * @param ids what the variable lists: indexes, or for MIG devices their UUIDs ({@code MIG-...}), which
   *            {@code CUDA_VISIBLE_DEVICES} takes in place of an index
   */
  public static Map<String, String> envOf(String deviceType, List<String> ids) {
    Map<String, String> env = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return env;
    }
    DeviceVendor vendor = deviceType == null ? DeviceVendor.NVIDIA : DeviceVendor.ofType(deviceType).orElse(DeviceVendor.NVIDIA);
    String list = String.join(",", ids);
    vendor.visibilityVariables().forEach(name -> env.put(name, list));
    if (env.containsKey("CUDA_VISIBLE_DEVICES")) {
      env.put("CUDA_DEVICE_ORDER", "PCI_BUS_ID");
    }
    return env;
  }
}
