package dev.gantry.engine.tuning;

import dev.gantry.common.SpeculativeSpec;
import dev.gantry.common.KvCacheSpec;
import dev.gantry.engine.backend.BackendParameters;
import dev.gantry.engine.backend.EngineVersion;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A model's {@code speculative} and {@code kv_cache} fields, checked against its backend and version and
 * translated into that engine's options ({@link VllmTuning}, {@link SglangTuning}, {@link LlamaCppTuning},
 * {@link MindieTuning}). Without a {@code backend_version} the model is checked for what its backend can do
 * in any version and again, with the version chosen on the node, when the engine starts.
 */
public final class EngineTuning {

  /** Options the fields set, refused in {@code backend_parameters} next to them (one place says it). */
  static final List<String> SPECULATIVE_OPTIONS = List.of("--speculative-config", "--speculative-model",
      "--num-speculative-tokens", "--speculative-algorithm", "--speculative-draft-model-path",
      "--speculative-num-draft-tokens", "-md", "--model-draft", "--spec-draft-model", "--spec-type", "--draft-max",
      "--spec-draft-n-max");
  static final List<String> KV_OPTIONS = List.of("--kv-transfer-config", "--kv-offloading-size",
      "--kv-offloading-backend", "--enable-hierarchical-cache", "--hicache-size", "--hicache-ratio", "--cache-ram",
      "-cram", "--cpu-mem-size");

  /** Checks the fields of a model spec; throws {@link IllegalArgumentException} with a message for a person. */
  public static void check(String backend, String version, JsonObject speculativeJson, JsonObject kvJson,
      List<String> parameters) {
    SpeculativeSpec speculative = SpeculativeSpec.of(speculativeJson);
    KvCacheSpec kv = KvCacheSpec.of(kvJson);
    if (speculative == null && kv == null) {
      return;
    }
    if (!List.of("vllm", "sglang", "llama.cpp", "mindie").contains(backend)) {
      throw new IllegalArgumentException("backend '" + backend + "' has no speculative decoding or extended KV cache;"
          + " use vllm, sglang, llama.cpp or mindie (or remove speculative and kv_cache)");
    }
    List<String> given = BackendParameters.optionNames(parameters);
    refuseBoth(speculative != null, given, SPECULATIVE_OPTIONS, "speculative");
    refuseBoth(kv != null, given, KV_OPTIONS, "kv_cache");
    if (kv != null && "sglang".equals(backend) && given.contains("--disable-radix-cache")) {
      throw new IllegalArgumentException("kv_cache (SGLang HiCache) extends the radix cache; remove --disable-radix-cache"
          + " from backend_parameters or remove kv_cache");
    }
    EngineVersion parsed = version == null || version.isBlank() || !EngineVersion.valid(version) ? null
        : EngineVersion.parse(version);
    switch (backend) {
      case "vllm" -> VllmTuning.check(parsed, speculative, kv);
      case "sglang" -> SglangTuning.check(parsed, speculative, kv);
      case "mindie" -> MindieTuning.check(parsed, speculative, kv);
      default -> LlamaCppTuning.check(null, speculative, kv);
    }
  }

  private static void refuseBoth(boolean field, List<String> given, List<String> options, String name) {
    for (String option : given) {
      String base = option.contains(".") ? option.substring(0, option.indexOf('.')) : option;
      if (field && options.contains(base)) {
        throw new IllegalArgumentException("backend_parameters set " + option + " and the model has '" + name
            + "', which sets it too; keep one of them");
      }
    }
  }

  /** The options for vLLM, SGLang or MindIE at {@code version}; empty when the model asks for neither. */
  public static TuningOptions options(String backend, EngineVersion version, JsonObject model) {
    SpeculativeSpec speculative = SpeculativeSpec.of(model.getJsonObject("speculative"));
    KvCacheSpec kv = KvCacheSpec.of(model.getJsonObject("kv_cache"));
    if (speculative == null && kv == null) {
      return TuningOptions.empty();
    }
    requireResolved(backend, kv);
    return switch (backend) {
      case "vllm" -> VllmTuning.options(version, speculative, kv);
      case "sglang" -> SglangTuning.options(version, speculative, kv);
      case "mindie" -> MindieTuning.options(version, speculative, kv);
      default -> throw new IllegalArgumentException("backend '" + backend + "' has no versioned tuning options");
    };
  }

  /** The options for llama-server; its {@code --help} is read only when the model asks for something. */
  public static TuningOptions llamaCppOptions(String executable, JsonObject model) {
    SpeculativeSpec speculative = SpeculativeSpec.of(model.getJsonObject("speculative"));
    KvCacheSpec kv = KvCacheSpec.of(model.getJsonObject("kv_cache"));
    if (speculative == null && kv == null) {
      return TuningOptions.empty();
    }
    requireResolved("llama.cpp", kv);
    return LlamaCppTuning.options(LlamaCppBuild.probe(executable), speculative, kv);
  }

  private static void requireResolved(String backend, KvCacheSpec kv) {
    if (kv != null && kv.hostMemoryGib() == null && !"sglang".equals(backend)) {
      throw new IllegalArgumentException("kv_cache.host_memory_ratio for " + backend + " is worked out from the"
          + " replica's memory claim when it is placed; this replica has none");
    }
  }

  /**
   * The model as its engine is started on a placed replica: a {@code host_memory_ratio} (except for SGLang, which
   * takes the ratio itself) becomes the GiB the scheduler counted. The RAM held includes that host memory
   * ({@code ram = base + ratio × base} on CPU), so on CPU it is {@code ram × ratio / (1 + ratio)}.
   */
  public static JsonObject resolved(JsonObject model, long ramHeld, long memoryPerDevice, int devices) {
    JsonObject kvJson = model.getJsonObject("kv_cache");
    KvCacheSpec kv = KvCacheSpec.of(kvJson);
    if (kv == null || kv.hostMemoryRatio() == null || "sglang".equals(model.getString("backend"))) {
      return model;
    }
    double ratio = kv.hostMemoryRatio();
    double bytes = devices > 0 ? ratio * memoryPerDevice * devices : ramHeld * ratio / (1 + ratio);
    JsonObject copy = model.copy();
    JsonObject kvCopy = kvJson.copy();
    kvCopy.remove("host_memory_ratio");
    kvCopy.put("host_memory_gib", Math.max(1.0 / 1024, Math.ceil(bytes / (1 << 20)) / 1024));
    return copy.put("kv_cache", kvCopy);
  }

  private EngineTuning() {
  }
}
