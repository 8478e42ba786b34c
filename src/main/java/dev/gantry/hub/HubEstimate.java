package dev.gantry.hub;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * What one replica of a safetensors model needs, worked out before any download: the weights (bytes of
 * the tensors), the KV cache at the chosen context, and the engine's own share, per backend:
 * <ul>
 *   <li>{@code vllm}: vLLM claims {@code gpu_memory_utilization} (default 0.9) of the device and fits
 *       weights, activations (~1 GiB) and KV cache into it: needed = (weights + KV + 1 GiB) / utilisation;</li>
 *   <li>{@code sglang}: the same with {@code mem_fraction_static} (default 0.88);</li>
 *   <li>{@code llama.cpp}, {@code builtin} and others: weights + KV + 256 MiB of runtime.</li>
 * </ul>
 * GPUStack's rule (weights × 1.2 + 2 GiB) is given beside it for comparison.
 */
public record HubEstimate(long parameters, long weightBytes, long kvBytesPerToken, long context, long kvBytes,
    long overheadBytes, long totalBytes, String backend) {

  static final long ACTIVATIONS = 1L << 30;
  static final long RUNTIME = 256L << 20;

  /** @param context tokens of KV cache to hold; 0 or less: the model's own maximum */
  public static HubEstimate of(SafetensorsHeader weights, TransformerConfig config, long context, String backend,
      List<String> parameters) {
    long tokens = context > 0 ? context : config.maxContext();
    long kv = config.kvBytesPerToken() * tokens;
    long base = weights.bytes() + kv;
    long total = switch (backend == null ? "" : backend) {
      case "vllm" -> (long) ((base + ACTIVATIONS) / share(parameters, "--gpu-memory-utilization", 0.9));
      case "sglang" -> (long) ((base + ACTIVATIONS) / share(parameters, "--mem-fraction-static", 0.88));
      default -> base + RUNTIME;
    };
    return new HubEstimate(weights.parameters(), weights.bytes(), config.kvBytesPerToken(), tokens, kv, total - base,
        total, backend);
  }

  /** A fraction given as {@code --flag 0.8} or {@code --flag=0.8}; the default when absent or not a number in (0, 1]. */
  static double share(List<String> parameters, String flag, double fallback) {
    for (int i = 0; i < parameters.size(); i++) {
      String p = parameters.get(i);
      String value = p.startsWith(flag + "=") ? p.substring(flag.length() + 1)
          : p.equals(flag) && i + 1 < parameters.size() ? parameters.get(i + 1) : null;
      if (value != null) {
        try {
          double share = Double.parseDouble(value);
          return share > 0 && share <= 1 ? share : fallback;
        } catch (NumberFormatException e) {
          return fallback;
        }
      }
    }
    return fallback;
  }

  public long gpustackBaseline() {
    return (long) (weightBytes * 1.2) + (2L << 30);
  }

  public String breakdown() {
    return String.format(Locale.ROOT, "%s parameters: weights %s + KV cache %s (%d tokens × %d B) + %s %s = %s",
        billions(parameters), gib(weightBytes), gib(kvBytes), context, kvBytesPerToken, backend == null ? "engine" : backend,
        gib(overheadBytes), gib(totalBytes));
  }

  public JsonObject toJson() {
    return new JsonObject().put("parameters", parameters).put("weight_bytes", weightBytes)
        .put("kv_bytes_per_token", kvBytesPerToken).put("context", context).put("kv_bytes", kvBytes)
        .put("overhead_bytes", overheadBytes).put("total_bytes", totalBytes).put("backend", backend)
        .put("gpustack_baseline_bytes", gpustackBaseline()).put("breakdown", breakdown());
  }

  private static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
  }

  private static String billions(long parameters) {
    return String.format(Locale.ROOT, "%.2fB", parameters / 1e9);
  }
}
