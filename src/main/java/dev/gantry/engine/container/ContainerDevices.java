package dev.gantry.engine.container;

import dev.gantry.common.DeviceVendor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * How a container is given the devices of an instance, per vendor (engines.md §1.3 and GPUStack's runtime):
 * NVIDIA through the container toolkit ({@code docker run --gpus "device=2,3"}; Podman through CDI,
 * {@code --device nvidia.com/gpu=2}), which shows the container only those, renumbered from 0; AMD ROCm and
 * Hygon DTK through {@code /dev/kfd} and {@code /dev/dri} (every GPU is visible, so the visibility variable
 * keeps the host's numbers); Ascend through {@code /dev/davinciN} plus its manager devices and the driver
 * folder, renumbered from 0 as GPUStack does. Other vendors are refused in container mode.
 */
final class ContainerDevices {

  static final List<String> ASCEND_SHARED = List.of("/dev/davinci_manager", "/dev/devmm_svm", "/dev/hisi_hdc");
  static final String ASCEND_DRIVER = "/usr/local/Ascend/driver";

  private ContainerDevices() {
  }

  /** The {@code run} options that pass the devices through. */
  static List<String> options(String runtime, DeviceVendor vendor, List<Integer> indexes) {
    List<String> out = new ArrayList<>();
    if (indexes.isEmpty()) {
      return out;
    }
    switch (vendor) {
      case NVIDIA -> {
        if (runtime.equals("podman")) {
          indexes.forEach(i -> out.addAll(List.of("--device", "nvidia.com/gpu=" + i)));
        } else {
          out.addAll(List.of("--gpus", "\"device=" + join(indexes) + "\""));
        }
      }
      case AMD, HYGON -> out.addAll(List.of("--device", "/dev/kfd", "--device", "/dev/dri", "--group-add", "video"));
      case ASCEND -> {
        indexes.forEach(i -> out.addAll(List.of("--device", "/dev/davinci" + i)));
        ASCEND_SHARED.forEach(d -> out.addAll(List.of("--device", d)));
        out.addAll(List.of("--volume", ASCEND_DRIVER + ":" + ASCEND_DRIVER + ":ro"));
      }
      default -> throw new IllegalArgumentException("container mode passes NVIDIA, AMD, Hygon and Ascend devices through;"
          + " " + vendor.key() + " devices need the engine run as a process (start the node without"
          + " --engine-runtime container)");
    }
    return out;
  }

  /**
   * The engine's visibility variables as seen inside the container: renumbered from 0 where the container
   * only sees the instance's devices (NVIDIA, Ascend), the host's numbers otherwise.
   */
  static Map<String, String> visibility(DeviceVendor vendor, List<Integer> indexes, Map<String, String> env) {
    Map<String, String> out = new LinkedHashMap<>(env);
    if (indexes.isEmpty() || !(vendor == DeviceVendor.NVIDIA || vendor == DeviceVendor.ASCEND)) {
      return out;
    }
    String renumbered = IntStream.range(0, indexes.size()).mapToObj(String::valueOf).collect(Collectors.joining(","));
    vendor.visibilityVariables().forEach(name -> out.computeIfPresent(name, (k, v) -> renumbered));
    return out;
  }

  private static String join(List<Integer> indexes) {
    return indexes.stream().map(String::valueOf).collect(Collectors.joining(","));
  }
}
