package dev.gantry.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The environment an engine starts with: a short allow-list of the node's variables (what a program
 * needs to run and to find its devices and their runtimes), then the model's {@code env}, then what
 * Gantry sets itself (the engine key, the devices it was given). Nothing else of the node reaches an
 * engine: not its {@code GANTRY_*} settings (database URL with password, OIDC client secret, bootstrap
 * password, cluster secret) nor anything an operator exported for other programs.
 *
 * <p>{@code LD_LIBRARY_PATH} is passed on: GPU runtimes (CUDA, ROCm, CANN, conda installs) are often
 * found only through it, it is chosen by whoever starts the node, and it carries no secret.
 */
public final class EngineEnvironment {

  static final Set<String> PASSED_ON = Set.of(
      "PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "LD_LIBRARY_PATH",
      "CUDA_VISIBLE_DEVICES", "CUDA_DEVICE_ORDER", "NVIDIA_VISIBLE_DEVICES", "CUDA_HOME", "CUDA_PATH",
      "HIP_VISIBLE_DEVICES", "ROCR_VISIBLE_DEVICES", "GPU_DEVICE_ORDINAL", "ROCM_PATH", "HIP_PATH",
      "ASCEND_RT_VISIBLE_DEVICES", "ASCEND_VISIBLE_DEVICES", "ASCEND_HOME_PATH", "ASCEND_TOOLKIT_HOME",
      "MUSA_VISIBLE_DEVICES", "MLU_VISIBLE_DEVICES", "HABANA_VISIBLE_DEVICES", "NEURON_RT_VISIBLE_CORES",
      "ZE_AFFINITY_MASK", "ONEAPI_DEVICE_SELECTOR");
  static final String PASSED_ON_PREFIX = "LC_";

  /** The node's allow-listed variables overlaid by {@code engine} (the model's env, then Gantry's own). */
  public static Map<String, String> of(Map<String, String> node, Map<String, String> engine) {
    Map<String, String> env = new LinkedHashMap<>();
    node.forEach((name, value) -> {
      if (passedOn(name)) {
        env.put(name, value);
      }
    });
    env.putAll(engine);
    return env;
  }

  /** Whether an engine gets the node's value of this variable. */
  public static boolean passedOn(String name) {
    return PASSED_ON.contains(name) || name.startsWith(PASSED_ON_PREFIX);
  }

  private EngineEnvironment() {
  }
}
