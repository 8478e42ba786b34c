package dev.gantry.engine.tuning;

import dev.gantry.common.SpeculativeSpec;
import dev.gantry.common.KvCacheSpec;
import dev.gantry.common.SpeculativeSpec.Algorithm;

/**
 * llama-server: a draft model with {@code -md} (an alias in every build), {@code --spec-type draft-simple}
 * and {@code --spec-draft-n-max} in builds after the 2026 refactor, {@code --draft-max} before it; n-gram
 * self-speculation with {@code --spec-type ngram-simple} and its lookup size; the host KV cache as the
 * host-memory prompt cache {@code --cache-ram <MiB>}. No chunk size or disk tier.
 */
final class LlamaCppTuning {

  static void check(LlamaCppBuild build, SpeculativeSpec speculative, KvCacheSpec kv) {
    if (speculative != null) {
      Algorithm algorithm = speculative.algorithm();
      if (algorithm != Algorithm.DRAFT_MODEL && algorithm != Algorithm.NGRAM) {
        throw Gate.cannot("speculative algorithm '" + algorithm.key() + "'", "llama.cpp", "draft_model, ngram");
      }
      if (algorithm == Algorithm.DRAFT_MODEL && !speculative.draftModel().endsWith(".gguf")) {
        throw new IllegalArgumentException("backend 'llama.cpp' drafts with a GGUF file; speculative.draft_model must"
            + " end in .gguf, got '" + speculative.draftModel() + "'");
      }
      if (speculative.ngramMin() != null) {
        throw new IllegalArgumentException("speculative.ngram_min: llama.cpp matches one n-gram length; give"
            + " speculative.ngram_max only");
      }
      if (algorithm == Algorithm.NGRAM && build != null && !build.specType()) {
        throw new IllegalArgumentException("speculative algorithm 'ngram' needs a llama.cpp build with --spec-type;"
            + " this node's llama-server is " + build.describe() + " without it");
      }
    }
    if (kv != null && (kv.chunkSize() != null || kv.storagePath() != null)) {
      throw Gate.cannot("kv_cache.chunk_size or kv_cache.storage", "llama.cpp", "host_memory_gib, host_memory_ratio");
    }
    if (kv != null && build != null && !build.cacheRam()) {
      throw new IllegalArgumentException("kv_cache needs a llama.cpp build with --cache-ram (host-memory prompt"
          + " cache, PR #16391); this node's llama-server has no such option");
    }
  }

  static TuningOptions options(LlamaCppBuild build, SpeculativeSpec s, KvCacheSpec kv) {
    check(build, s, kv);
    TuningOptions out = TuningOptions.empty();
    if (s != null && s.algorithm() == Algorithm.DRAFT_MODEL) {
      out.add("-md", s.draftModel());
      if (build.specRefactor()) {
        out.add("--spec-type", "draft-simple");
      }
      if (s.numDraftTokens() != null) {
        out.add(build.specRefactor() ? "--spec-draft-n-max" : "--draft-max", String.valueOf(s.numDraftTokens()));
      }
    } else if (s != null) {
      out.add("--spec-type", "ngram-simple");
      String prefix = build.specRefactor() ? "--spec-ngram-simple-" : "--spec-ngram-";
      if (s.ngramMax() != null) {
        out.add(prefix + "size-n", String.valueOf(s.ngramMax()));
      }
      if (s.numDraftTokens() != null) {
        out.add(prefix + "size-m", String.valueOf(s.numDraftTokens()));
      }
    }
    if (kv != null) {
      out.add("--cache-ram", String.valueOf((long) Math.ceil(kv.hostGib(0) * 1024)));
    }
    return out;
  }

  private LlamaCppTuning() {
  }
}
