package dev.gantry.engine.metrics;

import dev.gantry.engine.backend.EngineVersion;
import java.util.EnumMap;
import java.util.Map;

/**
 * Which of an engine's own metrics each {@link EngineMetric} is, by backend and version (the names each
 * version serves; GPUStack's {@code metrics_config.yaml} and the engines' sources, see
 * docs/ARCHITECTURE.md). Counters carry the {@code _total} suffix they have in the scrape; summaries name
 * the histogram whose {@code _sum} and {@code _count} are read. A null version means the newest names.
 */
public final class EngineMetricNames {

  /**
   * vLLM renamed its KV-usage gauge ({@code gpu_cache_usage_perc} → {@code kv_cache_usage_perc}) in 0.9.2: PR #18354;
   * {@code vllm/v1/metrics/loggers.py} at v0.11.0 says "Deprecated in 0.9.2 - Renamed as vllm:kv_cache_usage_perc".
   */
  static final String VLLM_KV_RENAMED = "0.9.2";
  /**
   * vLLM's {@code time_per_output_token_seconds} became {@code request_time_per_output_token_seconds} in 0.11.0: the
   * per-request TPOT histogram (PR #24015) was merged in the week to 2025-09-26 with PR #25246, which the v0.11.0
   * release notes list; the old name is "Deprecated in 0.11" in loggers.py and hidden from 0.12.
   */
  static final String VLLM_TPOT_RENAMED = "0.11.0";
  /** SGLang's per-token latency is {@code inter_token_latency_seconds} after 0.4.4. */
  static final String SGLANG_ITL_SINCE = "0.4.5";

  public static Map<EngineMetric, String> of(String backend, String version) {
    EngineVersion v = version == null || !EngineVersion.valid(version) ? null : EngineVersion.parse(version);
    Map<EngineMetric, String> names = new EnumMap<>(EngineMetric.class);
    switch (backend) {
      case "vllm" -> {
        names.put(EngineMetric.REQUESTS_RUNNING, "vllm:num_requests_running");
        names.put(EngineMetric.REQUESTS_WAITING, "vllm:num_requests_waiting");
        names.put(EngineMetric.KV_CACHE_USAGE_RATIO, before(v, VLLM_KV_RENAMED)
            ? "vllm:gpu_cache_usage_perc" : "vllm:kv_cache_usage_perc");
        names.put(EngineMetric.TTFT_SECONDS, "vllm:time_to_first_token_seconds");
        names.put(EngineMetric.TIME_PER_OUTPUT_TOKEN_SECONDS, before(v, VLLM_TPOT_RENAMED)
            ? "vllm:time_per_output_token_seconds" : "vllm:request_time_per_output_token_seconds");
        names.put(EngineMetric.PROMPT_TOKENS, "vllm:prompt_tokens_total");
        names.put(EngineMetric.GENERATION_TOKENS, "vllm:generation_tokens_total");
        names.put(EngineMetric.SPEC_DECODE_ACCEPTED_TOKENS, "vllm:spec_decode_num_accepted_tokens_total");
        names.put(EngineMetric.SPEC_DECODE_DRAFT_TOKENS, "vllm:spec_decode_num_draft_tokens_total");
      }
      case "sglang" -> {
        names.put(EngineMetric.REQUESTS_RUNNING, "sglang:num_running_reqs");
        names.put(EngineMetric.REQUESTS_WAITING, "sglang:num_queue_reqs");
        names.put(EngineMetric.KV_CACHE_USAGE_RATIO, "sglang:token_usage");
        names.put(EngineMetric.TTFT_SECONDS, "sglang:time_to_first_token_seconds");
        names.put(EngineMetric.TIME_PER_OUTPUT_TOKEN_SECONDS, before(v, SGLANG_ITL_SINCE)
            ? "sglang:time_per_output_token_seconds" : "sglang:inter_token_latency_seconds");
        names.put(EngineMetric.PROMPT_TOKENS, "sglang:prompt_tokens_total");
        names.put(EngineMetric.GENERATION_TOKENS, "sglang:generation_tokens_total");
      }
      case "llama.cpp" -> {
        names.put(EngineMetric.REQUESTS_RUNNING, "llamacpp:requests_processing");
        names.put(EngineMetric.REQUESTS_WAITING, "llamacpp:requests_deferred");
        names.put(EngineMetric.KV_CACHE_USAGE_RATIO, "llamacpp:kv_cache_usage_ratio");
        names.put(EngineMetric.PROMPT_TOKENS, "llamacpp:prompt_tokens_total");
        names.put(EngineMetric.GENERATION_TOKENS, "llamacpp:tokens_predicted_total");
        names.put(EngineMetric.SPEC_DECODE_ACCEPTED_TOKENS, "llamacpp:spec_decode_num_accepted_tokens_total");
        names.put(EngineMetric.SPEC_DECODE_DRAFT_TOKENS, "llamacpp:spec_decode_num_draft_tokens_total");
      }
      case "mindie" -> {
        names.put(EngineMetric.REQUESTS_RUNNING, "num_requests_running");
        names.put(EngineMetric.REQUESTS_WAITING, "num_requests_waiting");
        names.put(EngineMetric.KV_CACHE_USAGE_RATIO, "npu_cache_usage_perc");
        names.put(EngineMetric.TTFT_SECONDS, "time_to_first_token_seconds");
        names.put(EngineMetric.TIME_PER_OUTPUT_TOKEN_SECONDS, "time_per_output_token_seconds");
        names.put(EngineMetric.PROMPT_TOKENS, "prompt_tokens_total");
        names.put(EngineMetric.GENERATION_TOKENS, "generation_tokens_total");
      }
      default -> { }
    }
    return names;
  }

  private static boolean before(EngineVersion version, String renamedIn) {
    return version != null && version.before(renamedIn);
  }

  private EngineMetricNames() {
  }
}
