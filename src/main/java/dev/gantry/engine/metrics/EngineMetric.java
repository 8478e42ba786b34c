package dev.gantry.engine.metrics;

/**
 * The engine metrics Gantry re-exports under one set of names whatever the engine and version. A gauge
 * is the engine's current value, a counter its running total, a summary the {@code _sum} and
 * {@code _count} of the engine's histogram (seconds).
 */
public enum EngineMetric {
  REQUESTS_RUNNING("gantry.engine.requests.running", Kind.GAUGE, "requests_running"),
  REQUESTS_WAITING("gantry.engine.requests.waiting", Kind.GAUGE, "requests_waiting"),
  KV_CACHE_USAGE_RATIO("gantry.engine.kv.cache.usage.ratio", Kind.GAUGE, "kv_cache_usage_ratio"),
  TTFT_SECONDS("gantry.engine.ttft", Kind.SUMMARY, "ttft_seconds"),
  TIME_PER_OUTPUT_TOKEN_SECONDS("gantry.engine.time.per.output.token", Kind.SUMMARY, "time_per_output_token_seconds"),
  PROMPT_TOKENS("gantry.engine.prompt.tokens", Kind.COUNTER, "prompt_tokens_total"),
  GENERATION_TOKENS("gantry.engine.generation.tokens", Kind.COUNTER, "generation_tokens_total"),
  SPEC_DECODE_ACCEPTED_TOKENS("gantry.engine.spec.decode.accepted.tokens", Kind.COUNTER,
      "spec_decode_accepted_tokens_total"),
  SPEC_DECODE_DRAFT_TOKENS("gantry.engine.spec.decode.draft.tokens", Kind.COUNTER, "spec_decode_draft_tokens_total");

  public enum Kind { GAUGE, COUNTER, SUMMARY }

  private final String meterName;
  private final Kind kind;
  private final String key;

  EngineMetric(String meterName, Kind kind, String key) {
    this.meterName = meterName;
    this.kind = kind;
    this.key = key;
  }

  /** The Micrometer name; Prometheus shows it as {@code gantry_engine_<key>} ({@code _total}, {@code _seconds_sum}...). */
  public String meterName() {
    return meterName;
  }

  public Kind kind() {
    return kind;
  }

  /** Its key in the cluster's engine-load records and in {@link EngineReading#toJson}. */
  public String key() {
    return key;
  }
}
