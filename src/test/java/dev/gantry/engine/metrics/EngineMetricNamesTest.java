package dev.gantry.engine.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each engine's own metrics, version by version, read into Gantry's names. */
class EngineMetricNamesTest {

  private static EngineReading read(String backend, String version, String text) {
    return EngineReading.of(PrometheusText.parse(text), EngineMetricNames.of(backend, version));
  }

  @Test
  void vllmBeforeAndAfter092GiveTheSameKvCacheUsageUnderItsTwoNames() {
    String old = "vllm:gpu_cache_usage_perc{model_name=\"q\"} 0.42\nvllm:kv_cache_usage_perc{model_name=\"q\"} 0.99\n";
    String renamed = "vllm:kv_cache_usage_perc{engine=\"0\",model_name=\"q\"} 0.42\n";
    assertThat(read("vllm", "0.8.2", old).value(EngineMetric.KV_CACHE_USAGE_RATIO)).isEqualTo(0.42);
    assertThat(read("vllm", "0.9.2", renamed).value(EngineMetric.KV_CACHE_USAGE_RATIO)).isEqualTo(0.42);
    assertThat(read("vllm", "0.9.1", renamed).values()).doesNotContainKey(EngineMetric.KV_CACHE_USAGE_RATIO);
  }

  @Test
  void vllmTimePerOutputTokenWasRenamedIn0110AndSummariesKeepSumAndCount() {
    String text = "vllm:request_time_per_output_token_seconds_sum{model_name=\"q\"} 1.5\n"
        + "vllm:request_time_per_output_token_seconds_count{model_name=\"q\"} 30\n"
        + "vllm:time_per_output_token_seconds_sum{model_name=\"q\"} 9\n";
    EngineReading reading = read("vllm", "0.11.2", text);
    assertThat(reading.value(EngineMetric.TIME_PER_OUTPUT_TOKEN_SECONDS)).isEqualTo(1.5);
    assertThat(reading.count(EngineMetric.TIME_PER_OUTPUT_TOKEN_SECONDS)).isEqualTo(30);
    assertThat(read("vllm", "0.10.2", text).value(EngineMetric.TIME_PER_OUTPUT_TOKEN_SECONDS)).isEqualTo(9);
    assertThat(reading.toJson().getDouble("time_per_output_token_seconds_count")).isEqualTo(30);
  }

  @Test
  void llamaServerNamesWithItsSpeculativeCounters() {
    String text = """
        # HELP llamacpp:prompt_tokens_total Number of prompt tokens processed.
        # TYPE llamacpp:prompt_tokens_total counter
        llamacpp:prompt_tokens_total 6
        llamacpp:tokens_predicted_total 48
        llamacpp:spec_decode_num_draft_tokens_total 162
        llamacpp:spec_decode_num_accepted_tokens_total 4
        llamacpp:spec_decode_num_accepted_tokens_per_pos_total{position="0"} 1
        llamacpp:requests_processing 0
        llamacpp:requests_deferred 2
        """;
    EngineReading reading = read("llama.cpp", null, text);
    assertThat(reading.value(EngineMetric.GENERATION_TOKENS)).isEqualTo(48);
    assertThat(reading.value(EngineMetric.SPEC_DECODE_ACCEPTED_TOKENS)).isEqualTo(4);
    assertThat(reading.value(EngineMetric.SPEC_DECODE_DRAFT_TOKENS)).isEqualTo(162);
    assertThat(reading.value(EngineMetric.REQUESTS_WAITING)).isEqualTo(2);
    assertThat(reading.values()).doesNotContainKey(EngineMetric.KV_CACHE_USAGE_RATIO);
  }

  @Test
  void sglangAndMindieHaveTheirOwnNames() {
    assertThat(read("sglang", "0.5.4.post3", "sglang:num_queue_reqs{model_name=\"m\"} 3\nsglang:token_usage 0.5\n")
        .values()).containsEntry(EngineMetric.REQUESTS_WAITING, 3.0).containsEntry(EngineMetric.KV_CACHE_USAGE_RATIO, 0.5);
    assertThat(EngineMetricNames.of("sglang", "0.4.4").get(EngineMetric.TIME_PER_OUTPUT_TOKEN_SECONDS))
        .isEqualTo("sglang:time_per_output_token_seconds");
    assertThat(read("mindie", "2.3.0", "npu_cache_usage_perc{model_name=\"m\"} 0.1\n").value(EngineMetric.KV_CACHE_USAGE_RATIO))
        .isEqualTo(0.1);
  }

  @Test
  void theParserSumsLabelSetsAndSkipsWhatItCannotRead() {
    List<PrometheusText.Sample> samples = PrometheusText.parse(
        "a{x=\"1\"} 2\na{x=\"}{,=\\\"\"} 3 1700000000\nnot a sample\nb +Inf\nc NaN\n");
    assertThat(samples).extracting(PrometheusText.Sample::name).containsExactly("a", "a", "b", "c");
    assertThat(samples.get(1).labels()).containsEntry("x", "}{,=\"");
    assertThat(EngineReading.of(samples, java.util.Map.of(EngineMetric.REQUESTS_RUNNING, "a"))
        .value(EngineMetric.REQUESTS_RUNNING)).isEqualTo(5);
  }
}
