package dev.gantry.engine.tuning;

import dev.gantry.common.SpeculativeSpec;
import dev.gantry.common.KvCacheSpec;
import dev.gantry.engine.backend.EngineVersion;
import dev.gantry.common.SpeculativeSpec.Algorithm;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * vLLM: {@code --speculative-config '<JSON>'} from 0.8.0 (the separate {@code --speculative-model}
 * options before it, removed in 0.8.3); KV cache in host memory through vLLM's native CPU offloading
 * ({@code --kv-offloading-size}, 0.11.1+) or, for a disk tier, a chunk size or older versions, the
 * LMCache connector ({@code --kv-transfer-config} with {@code LMCACHE_*} variables). Each version says where it
 * comes from; "inferred" (here and in docs/ARCHITECTURE.md) means from merge dates, not a release note or tag.
 */
final class VllmTuning {

  static final String SPECULATIVE_CONFIG_SINCE = "0.8.0";
  /**
   * The first release whose {@code SpeculativeConfig} knows each method. eagle3: v0.8.5 release notes ("EAGLE-3
   * Support (#16937)", https://github.com/vllm-project/vllm/releases/tag/v0.8.5); mtp (as {@code deepseek_mtp}): inferred.
   */
  static final Map<Algorithm, String> SINCE = Map.of(Algorithm.DRAFT_MODEL, "0.4.1", Algorithm.NGRAM, "0.4.1",
      Algorithm.EAGLE, "0.6.0", Algorithm.EAGLE3, "0.8.5", Algorithm.MTP, "0.8.0");
  /**
   * From here {@code mtp} is a {@code SpeculativeMethod} (PR #25232 folded the per-model MTP names into it);
   * {@code SpeculativeMethod} in https://docs.vllm.ai/en/v0.11.0/api/vllm/config/speculative.html lists "mtp"
   * beside "deepseek_mtp". Before it MTP is spelled {@code deepseek_mtp}.
   */
  static final String GENERIC_MTP_SINCE = "0.11.0";
  /**
   * {@code --kv-offloading-size/-backend} came with PR #27621, merged in the week to 2025-11-07 (vLLM weekly summary),
   * after v0.11.0; its sibling of that week, suffix decoding (#25784), shipped in v0.11.1.
   */
  static final String NATIVE_OFFLOAD_SINCE = "0.11.1";
  /** {@code LMCacheConnectorV1}: v0.8.5 release notes ("Adding LMCache KV connector for v1 (#16625)"). */
  static final String LMCACHE_SINCE = "0.8.5";
  static final int DEFAULT_DRAFT_TOKENS = 4;

  static void check(EngineVersion version, SpeculativeSpec speculative, KvCacheSpec kv) {
    if (speculative != null) {
      Gate.since("speculative algorithm '" + speculative.algorithm().key() + "'", "vllm", version,
          SINCE.get(speculative.algorithm()));
    }
    if (kv != null && !native_(version, kv)) {
      Gate.since("kv_cache (LMCache connector" + (kv.storagePath() != null ? ", for kv_cache.storage" : "") + ")",
          "vllm", version, LMCACHE_SINCE);
    }
  }

  static TuningOptions options(EngineVersion version, SpeculativeSpec speculative, KvCacheSpec kv) {
    check(version, speculative, kv);
    TuningOptions out = TuningOptions.empty();
    if (speculative != null) {
      speculative(version, speculative, out);
    }
    if (kv != null) {
      kvCache(version, kv, out);
    }
    return out;
  }

  private static void speculative(EngineVersion version, SpeculativeSpec s, TuningOptions out) {
    if (version != null && version.before(SPECULATIVE_CONFIG_SINCE)) {
      out.add("--speculative-model", s.algorithm() == Algorithm.NGRAM ? "[ngram]" : s.draftModel(),
          "--num-speculative-tokens", String.valueOf(s.draftTokensOr(DEFAULT_DRAFT_TOKENS)));
      if (s.algorithm() == Algorithm.NGRAM) {
        out.add("--ngram-prompt-lookup-max", String.valueOf(s.ngramMax() == null ? DEFAULT_DRAFT_TOKENS : s.ngramMax()));
        if (s.ngramMin() != null) {
          out.add("--ngram-prompt-lookup-min", String.valueOf(s.ngramMin()));
        }
      }
      return;
    }
    JsonObject config = new JsonObject();
    switch (s.algorithm()) {
      case DRAFT_MODEL -> { }
      case MTP -> config.put("method", version != null && version.before(GENERIC_MTP_SINCE) ? "deepseek_mtp" : "mtp");
      default -> config.put("method", s.algorithm().key());
    }
    if (s.draftModel() != null) {
      config.put("model", s.draftModel());
    }
    if (s.algorithm() != Algorithm.MTP || s.numDraftTokens() != null) {
      config.put("num_speculative_tokens", s.draftTokensOr(DEFAULT_DRAFT_TOKENS));
    }
    if (s.ngramMin() != null) {
      config.put("prompt_lookup_min", s.ngramMin());
    }
    if (s.ngramMax() != null) {
      config.put("prompt_lookup_max", s.ngramMax());
    }
    out.add("--speculative-config", config.encode());
  }

  /** Native offloading when the version has it and nothing asks for LMCache (a disk tier, a chunk size). */
  private static boolean native_(EngineVersion version, KvCacheSpec kv) {
    return kv.storagePath() == null && kv.chunkSize() == null && (version == null || version.atLeast(NATIVE_OFFLOAD_SINCE));
  }

  private static void kvCache(EngineVersion version, KvCacheSpec kv, TuningOptions out) {
    double gib = kv.hostGib(0);
    if (native_(version, kv)) {
      // named on every version: it came with --kv-offloading-size, and native only became the default later
      // (PR #32421, merged 2026-01-15: v0.14.0 or v0.15.0 is not known), so leaving it out could turn offloading off
      out.add("--kv-offloading-size", TuningOptions.number(gib)).add("--kv-offloading-backend", "native");
      return;
    }
    out.add("--kv-transfer-config", new JsonObject().put("kv_connector", "LMCacheConnectorV1").put("kv_role", "kv_both")
        .encode());
    out.env().put("LMCACHE_LOCAL_CPU", "True");
    out.env().put("LMCACHE_MAX_LOCAL_CPU_SIZE", TuningOptions.number(gib));
    if (kv.chunkSize() != null) {
      out.env().put("LMCACHE_CHUNK_SIZE", String.valueOf(kv.chunkSize()));
    }
    if (kv.storagePath() != null) {
      out.env().put("LMCACHE_LOCAL_DISK", "file://" + kv.storagePath() + "/");
      out.env().put("LMCACHE_MAX_LOCAL_DISK_SIZE", TuningOptions.number(kv.storageGib()));
    }
  }

  private VllmTuning() {
  }
}
