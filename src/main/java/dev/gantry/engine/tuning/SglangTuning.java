package dev.gantry.engine.tuning;

import dev.gantry.common.SpeculativeSpec;
import dev.gantry.common.KvCacheSpec;
import dev.gantry.engine.backend.EngineVersion;
import dev.gantry.common.SpeculativeSpec.Algorithm;
import java.util.Map;

/**
 * SGLang: {@code --speculative-algorithm EAGLE|EAGLE3|STANDALONE|NGRAM} (MTP runs the model's own
 * next-token layers as {@code EAGLE} without a draft path, as GPUStack does) with
 * {@code --speculative-draft-model-path} and {@code --speculative-num-draft-tokens}; n-gram window sizes
 * only before 0.5.10 (PR #21225, merged 2026-04-01, is in v0.5.10 and not in v0.5.10rc0). KV cache in host memory through HiCache:
 * {@code --enable-hierarchical-cache} with {@code --hicache-size} (GiB) or {@code --hicache-ratio}
 * (host pool / device pool), {@code --page-size} for the chunk size, and the {@code file} storage backend
 * for a disk tier.
 */
final class SglangTuning {

  static final Map<Algorithm, String> NAME = Map.of(Algorithm.EAGLE, "EAGLE", Algorithm.EAGLE3, "EAGLE3",
      Algorithm.MTP, "EAGLE", Algorithm.DRAFT_MODEL, "STANDALONE", Algorithm.NGRAM, "NGRAM");
  /**
   * First releases, inferred from merge dates: EAGLE3 (PR #4247, opened 2025-03-10), STANDALONE and NGRAM (Sep 2025;
   * NGRAM came as LOOKAHEAD with PR #9873 and took its name from PR #11010, 2025-09-28).
   */
  static final Map<Algorithm, String> SINCE = Map.of(Algorithm.EAGLE, "0.4.0", Algorithm.MTP, "0.4.3",
      Algorithm.EAGLE3, "0.4.5", Algorithm.DRAFT_MODEL, "0.5.3", Algorithm.NGRAM, "0.5.3");
  static final String NGRAM_WINDOW_UNTIL = "0.5.10";
  static final String HICACHE_SINCE = "0.4.6";
  static final String HICACHE_STORAGE_SINCE = "0.5.0";

  static void check(EngineVersion version, SpeculativeSpec speculative, KvCacheSpec kv) {
    if (speculative != null) {
      Gate.since("speculative algorithm '" + speculative.algorithm().key() + "'", "sglang", version,
          SINCE.get(speculative.algorithm()));
      if ((speculative.ngramMin() != null || speculative.ngramMax() != null) && version != null
          && !version.before(NGRAM_WINDOW_UNTIL)) {
        throw new IllegalArgumentException("speculative.ngram_min/ngram_max: sglang " + NGRAM_WINDOW_UNTIL
            + " removed the n-gram window options and the chosen version is " + version + "; leave them out (or pass"
            + " --speculative-ngram-min-bfs-breadth / --speculative-ngram-max-bfs-breadth in backend_parameters)");
      }
    }
    if (kv != null) {
      Gate.since("kv_cache (HiCache)", "sglang", version, HICACHE_SINCE);
      if (kv.storagePath() != null) {
        Gate.since("kv_cache.storage (HiCache file backend)", "sglang", version, HICACHE_STORAGE_SINCE);
      }
    }
  }

  static TuningOptions options(EngineVersion version, SpeculativeSpec s, KvCacheSpec kv) {
    check(version, s, kv);
    TuningOptions out = TuningOptions.empty();
    if (s != null) {
      out.add("--speculative-algorithm", NAME.get(s.algorithm()));
      if (s.draftModel() != null) {
        out.add("--speculative-draft-model-path", s.draftModel());
      }
      if (s.numDraftTokens() != null) {
        out.add("--speculative-num-draft-tokens", String.valueOf(s.numDraftTokens()));
      }
      if (s.ngramMin() != null) {
        out.add("--speculative-ngram-min-match-window-size", String.valueOf(s.ngramMin()));
      }
      if (s.ngramMax() != null) {
        out.add("--speculative-ngram-max-match-window-size", String.valueOf(s.ngramMax()));
      }
    }
    if (kv != null) {
      out.add("--enable-hierarchical-cache");
      if (kv.hostMemoryGib() != null) {
        out.add("--hicache-size", TuningOptions.number(kv.hostMemoryGib()));
      } else {
        out.add("--hicache-ratio", TuningOptions.number(kv.hostMemoryRatio()));
      }
      if (kv.chunkSize() != null) {
        out.add("--page-size", String.valueOf(kv.chunkSize()));
      }
      if (kv.storagePath() != null) {
        out.add("--hicache-storage-backend", "file");
        out.env().put("SGLANG_HICACHE_FILE_BACKEND_STORAGE_DIR", kv.storagePath());
      }
    }
    return out;
  }

  private SglangTuning() {
  }
}
