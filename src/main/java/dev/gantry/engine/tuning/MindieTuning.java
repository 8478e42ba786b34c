package dev.gantry.engine.tuning;

import dev.gantry.common.SpeculativeSpec;
import dev.gantry.common.KvCacheSpec;
import dev.gantry.engine.backend.EngineVersion;
import dev.gantry.common.SpeculativeSpec.Algorithm;
import io.vertx.core.json.JsonObject;

/**
 * MindIE has no command line: MTP goes into {@code ModelConfig[0].plugin_params} as a JSON string
 * ({@code {"plugin_type":"mtp","num_speculative_tokens":n}}; 1 token before 2.2.RC1, 1 or 2 from it), the
 * host KV cache into {@code ModelConfig[0].cpuMemSize} (whole GiB) with {@code MIES_USE_MB_SWAPPER=1}.
 * Other algorithms, chunk sizes and disk tiers have no MindIE counterpart and are refused.
 */
final class MindieTuning {

  static final String MTP_SINCE = "2.0.RC1";
  static final String TWO_TOKENS_SINCE = "2.2.RC1";

  static void check(EngineVersion version, SpeculativeSpec speculative, KvCacheSpec kv) {
    if (speculative != null) {
      if (speculative.algorithm() != Algorithm.MTP) {
        throw Gate.cannot("speculative algorithm '" + speculative.algorithm().key() + "'", "mindie", "mtp");
      }
      Gate.since("speculative algorithm 'mtp'", "mindie", version, MTP_SINCE);
      int tokens = speculative.draftTokensOr(1);
      boolean two = version == null || version.atLeast(TWO_TOKENS_SINCE);
      if (tokens > (two ? 2 : 1)) {
        throw new IllegalArgumentException("speculative.num_draft_tokens " + tokens + ": mindie "
            + (version == null ? "" : version + " ") + "drafts at most " + (two ? 2 : 1) + " MTP token(s)"
            + (two ? "" : " (2 from " + TWO_TOKENS_SINCE + ")"));
      }
    }
    if (kv != null && (kv.chunkSize() != null || kv.storagePath() != null)) {
      throw Gate.cannot("kv_cache.chunk_size or kv_cache.storage", "mindie", "host_memory_gib, host_memory_ratio");
    }
  }

  static TuningOptions options(EngineVersion version, SpeculativeSpec s, KvCacheSpec kv) {
    check(version, s, kv);
    TuningOptions out = TuningOptions.empty();
    if (s != null) {
      out.config().put("ModelConfig.plugin_params", new JsonObject().put("plugin_type", "mtp")
          .put("num_speculative_tokens", s.draftTokensOr(1)).encode());
    }
    if (kv != null) {
      out.config().put("ModelConfig.cpuMemSize", (long) Math.ceil(kv.hostGib(0)));
      out.env().put("MIES_USE_MB_SWAPPER", "1");
    }
    return out;
  }

  private MindieTuning() {
  }
}
