package dev.gantry.scheduler.placement;

import dev.gantry.common.DeviceVendor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which backend's engine runs on which vendor's devices, by device type. llama.cpp has builds for CUDA
 * (NVIDIA), HIP (AMD, and Hygon DCUs through DTK), MUSA (Moore Threads) and CANN (Ascend); vLLM runs on
 * NVIDIA and AMD upstream and on the others through their vendors' forks (vllm-ascend, vllm_musa,
 * DTK's vLLM, Iluvatar's, vllm-metax, vllm-mlu); SGLang on NVIDIA, AMD and Ascend; MindIE only on
 * Ascend. Backends not in the table ({@code builtin}, {@code custom}, anything new) may use any device:
 * a custom command knows what it runs on.
 */
public final class BackendSupport {

  private static final Map<String, Set<String>> TYPES = Map.of(
      "llama.cpp", Set.of("cuda", "rocm", "dtk", "musa", "cann"),
      "vllm", Arrays.stream(DeviceVendor.values()).map(DeviceVendor::type).collect(Collectors.toUnmodifiableSet()),
      "sglang", Set.of("cuda", "rocm", "cann"),
      "mindie", Set.of("cann"));

  private BackendSupport() {
  }

  /** Whether {@code backend}'s engine can use a device of runtime {@code type}. */
  public static boolean runsOn(String backend, String type) {
    Set<String> types = backend == null ? null : TYPES.get(backend);
    return types == null || types.contains(type);
  }

  /** The vendors {@code backend} runs on, in words: {@code nvidia, amd, hygon, ascend, mthreads}. */
  public static String vendors(String backend) {
    List<String> vendors = Arrays.stream(DeviceVendor.values()).filter(v -> runsOn(backend, v.type()))
        .map(DeviceVendor::key).toList();
    return vendors.size() == 1 ? vendors.get(0) + " only" : String.join(", ", vendors);
  }
}
