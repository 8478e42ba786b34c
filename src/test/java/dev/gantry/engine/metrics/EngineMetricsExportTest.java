package dev.gantry.engine.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The names Prometheus shows for the re-exported engine metrics, and that they go with their instance. */
class EngineMetricsExportTest {

  private static final ScrapeTarget TARGET = new ScrapeTarget("i1", "qwen-ab12", "qwen", "vllm", "0.11.2", 40001,
      "/metrics", "k");

  @Test
  void everyKindHasItsPrometheusNameAndLabelsAndLeavesWithItsInstance() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    EngineMetricsExport export = new EngineMetricsExport(registry);
    export.update(TARGET, new EngineReading(Map.of(EngineMetric.KV_CACHE_USAGE_RATIO, 0.25,
        EngineMetric.GENERATION_TOKENS, 48.0, EngineMetric.TTFT_SECONDS, 1.5, EngineMetric.SPEC_DECODE_ACCEPTED_TOKENS, 4.0),
        Map.of(EngineMetric.TTFT_SECONDS, 3.0)));
    export.update(TARGET, new EngineReading(Map.of(EngineMetric.KV_CACHE_USAGE_RATIO, 0.5,
        EngineMetric.GENERATION_TOKENS, 50.0, EngineMetric.TTFT_SECONDS, 2.0, EngineMetric.SPEC_DECODE_ACCEPTED_TOKENS, 5.0),
        Map.of(EngineMetric.TTFT_SECONDS, 4.0)));
    String text = registry.scrape();
    String labels = "{backend=\"vllm\",instance=\"qwen-ab12\",model=\"qwen\"}";
    assertThat(text).contains("gantry_engine_kv_cache_usage_ratio" + labels + " 0.5")
        .contains("gantry_engine_generation_tokens_total" + labels + " 50.0")
        .contains("gantry_engine_spec_decode_accepted_tokens_total" + labels + " 5.0")
        .contains("gantry_engine_ttft_seconds_count" + labels + " 4")
        .contains("gantry_engine_ttft_seconds_sum" + labels + " 2.0");
    assertThat(export.retain(Set.of())).containsExactly("i1");
    assertThat(registry.scrape()).doesNotContain("gantry_engine_");
  }
}
