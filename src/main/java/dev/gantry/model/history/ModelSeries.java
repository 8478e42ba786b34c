package dev.gantry.model.history;

import java.util.List;

/**
 * The series a model's history keeps, as named in {@code GET /v2/metrics/models/{name}}: its engines'
 * view (requests running and waiting, KV cache use, time to first token, time per output token, tokens
 * generated per second) and the gateway's (requests and server errors per second, time to first token of
 * streamed requests). Latencies are means over the step in seconds.
 */
final class ModelSeries {

  static final String REQUESTS_RUNNING = "requests_running";
  static final String REQUESTS_WAITING = "requests_waiting";
  static final String KV_CACHE_USAGE_RATIO = "kv_cache_usage_ratio";
  static final String TTFT_SECONDS = "ttft_seconds";
  static final String TIME_PER_OUTPUT_TOKEN_SECONDS = "time_per_output_token_seconds";
  static final String GENERATION_TOKENS_PER_SECOND = "generation_tokens_per_second";
  static final String GATEWAY_REQUESTS_PER_SECOND = "gateway_requests_per_second";
  static final String GATEWAY_ERRORS_PER_SECOND = "gateway_errors_per_second";
  static final String GATEWAY_TTFT_SECONDS = "gateway_ttft_seconds";

  /** Series whose values of several nodes add up (counts and rates); the others are averaged (ratios, latencies). */
  static final List<String> SUMMED = List.of(REQUESTS_RUNNING, REQUESTS_WAITING, GENERATION_TOKENS_PER_SECOND,
      GATEWAY_REQUESTS_PER_SECOND, GATEWAY_ERRORS_PER_SECOND);

  private ModelSeries() {
  }
}
