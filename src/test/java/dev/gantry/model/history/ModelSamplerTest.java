package dev.gantry.model.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.metrics.EngineMetric;
import dev.gantry.node.history.HistoryFile;
import dev.gantry.node.history.HistoryRange;
import dev.gantry.node.history.MetricsHistory;
import dev.gantry.node.history.MetricsHistory.Key;
import dev.gantry.testing.TestFiles;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A model's sample from the node's meters, the merge of several nodes, and a month's bound. */
class ModelSamplerTest {

  private static final long T0 = 1_700_000_000_000L - 1_700_000_000_000L % 600_000;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Map<String, double[]> engine = new HashMap<>(); // meter → {value, count}

  private void engineMeters(String model, String instance) {
    String id = model + "/" + instance;
    engine.put(id + "/running", new double[] {2});
    engine.put(id + "/waiting", new double[] {3});
    engine.put(id + "/kv", new double[] {0.5});
    engine.put(id + "/tokens", new double[] {1_000});
    engine.put(id + "/ttft", new double[] {10, 100});
    String[] tags = {"model", model, "instance", instance};
    Gauge.builder(EngineMetric.REQUESTS_RUNNING.meterName(), engine, e -> e.get(id + "/running")[0]).tags(tags).register(registry);
    Gauge.builder(EngineMetric.REQUESTS_WAITING.meterName(), engine, e -> e.get(id + "/waiting")[0]).tags(tags).register(registry);
    Gauge.builder(EngineMetric.KV_CACHE_USAGE_RATIO.meterName(), engine, e -> e.get(id + "/kv")[0]).tags(tags).register(registry);
    FunctionCounter.builder(EngineMetric.GENERATION_TOKENS.meterName(), engine, e -> e.get(id + "/tokens")[0]).tags(tags)
        .register(registry);
    FunctionTimer.builder(EngineMetric.TTFT_SECONDS.meterName(), engine, e -> (long) e.get(id + "/ttft")[1],
        e -> e.get(id + "/ttft")[0], TimeUnit.SECONDS).tags(tags).register(registry);
  }

  @Test
  void enginesAreSummedOrAveragedAndRatesAreDifferencesSinceTheLastSample() {
    engineMeters("m1", "a");
    engineMeters("m1", "b");
    engine.get("m1/b/kv")[0] = 0.7;
    ModelSampler sampler = new ModelSampler(registry);

    Map<Key, Double> first = sampler.sample(T0, Set.of("m1"));
    assertThat(first).containsEntry(new Key("m1", ModelSeries.REQUESTS_RUNNING), 4.0)
        .containsEntry(new Key("m1", ModelSeries.REQUESTS_WAITING), 6.0)
        .doesNotContainKey(new Key("m1", ModelSeries.GENERATION_TOKENS_PER_SECOND))
        .doesNotContainKey(new Key("m1", ModelSeries.TTFT_SECONDS));
    assertThat(first.get(new Key("m1", ModelSeries.KV_CACHE_USAGE_RATIO))).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-9));

    engine.get("m1/a/tokens")[0] += 300;
    engine.get("m1/b/tokens")[0] += 200;
    engine.get("m1/a/ttft")[0] += 3; // 10 more requests averaging 0.3 s
    engine.get("m1/a/ttft")[1] += 10;
    Counter.builder("gantry_gateway_requests").tags("model", "m1", "operation", "chat", "status", "200").register(registry)
        .increment(8);
    Counter.builder("gantry_gateway_requests").tags("model", "m1", "operation", "chat", "status", "503").register(registry)
        .increment(2);
    Timer.builder("gantry_gateway_ttft").tags("model", "m1", "operation", "chat").register(registry)
        .record(Duration.ofMillis(400));
    Counter.builder("gantry_gateway_requests").tags("model", "unknown-model", "operation", "chat", "status", "404")
        .register(registry).increment();
    Map<Key, Double> second = sampler.sample(T0 + 5_000, Set.of("m1"));

    assertThat(second).containsEntry(new Key("m1", ModelSeries.GENERATION_TOKENS_PER_SECOND), 100.0)
        .containsEntry(new Key("m1", ModelSeries.GATEWAY_REQUESTS_PER_SECOND), 2.0)
        .containsEntry(new Key("m1", ModelSeries.GATEWAY_ERRORS_PER_SECOND), 0.4)
        .containsEntry(new Key("m1", ModelSeries.GATEWAY_TTFT_SECONDS), 0.4);
    assertThat(second.get(new Key("m1", ModelSeries.TTFT_SECONDS))).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(second.keySet()).allSatisfy(key -> assertThat(key.device()).isEqualTo("m1"));
  }

  @Test
  void anEngineThatRestartedCountsFromZeroAndANewEngineIsNotCountedBeforeItsSecondSample() {
    engineMeters("m2", "a");
    ModelSampler sampler = new ModelSampler(registry);
    sampler.sample(T0, Set.of("m2"));
    engineMeters("m2", "b"); // already at 1000 tokens when first seen

    engine.get("m2/a/tokens")[0] = 50; // restarted
    Map<Key, Double> after = sampler.sample(T0 + 10_000, Set.of("m2"));

    assertThat(after).containsEntry(new Key("m2", ModelSeries.GENERATION_TOKENS_PER_SECOND), 5.0);
  }

  @Test
  void nodesAddUpCountsAndAverageLatenciesAtTheSameTimes() {
    JsonObject one = answer("n1", ModelSeries.REQUESTS_RUNNING, 2, ModelSeries.TTFT_SECONDS, 0.2);
    JsonObject two = answer("n2", ModelSeries.REQUESTS_RUNNING, 3, ModelSeries.TTFT_SECONDS, 0.4);

    JsonObject merged = ModelHistoryMerge.series(List.of(one, two));

    assertThat(merged.getJsonArray(ModelSeries.REQUESTS_RUNNING).getJsonArray(0).getDouble(1)).isEqualTo(5.0);
    assertThat(merged.getJsonArray(ModelSeries.TTFT_SECONDS).getJsonArray(0).getDouble(1)).isCloseTo(0.3,
        org.assertj.core.data.Offset.offset(1e-9));
    assertThat(merged.getJsonArray(ModelSeries.REQUESTS_RUNNING).getJsonArray(1).getLong(0)).isEqualTo(T0 + 10_000);
    assertThat(merged.getJsonArray(ModelSeries.REQUESTS_RUNNING).getJsonArray(1).getDouble(1)).isEqualTo(2.0);
  }

  @Test
  void aMonthOfTwentyModelsStaysWithinItsBoundInMemoryAndOnDisk() throws Exception {
    MetricsHistory history = new MetricsHistory();
    long end = T0 + 31L * 86_400_000;
    Map<Key, Double> sample = new HashMap<>();
    for (int m = 0; m < 20; m++) {
      for (String metric : List.of(ModelSeries.REQUESTS_RUNNING, ModelSeries.KV_CACHE_USAGE_RATIO, ModelSeries.TTFT_SECONDS,
          ModelSeries.GATEWAY_REQUESTS_PER_SECOND)) {
        sample.put(new Key("model-" + m, metric), (double) m);
      }
    }
    for (long t = T0; t < end; t += 60_000) { // one sample a minute keeps the test quick; the rings are what is bounded
      history.record(t, sample);
    }
    Path dir = TestFiles.tempDir("gantry-model-history-");
    try {
      new HistoryFile(dir.resolve("model-history")).save(history);

      assertThat(history.mostPointsIn(HistoryRange.MONTH)).isEqualTo(4_320);
      assertThat(history.mostPointsIn(HistoryRange.DAY)).isEqualTo(1_440);
      assertThat(history.query("model-7", HistoryRange.MONTH, end).get(ModelSeries.TTFT_SECONDS)).hasSizeBetween(4_320, 4_321)
          .allSatisfy(p -> assertThat(p[1]).isEqualTo(7.0));
      long perSeriesBound = 16L * (360 + 1_440 + 4_320 + 3);
      assertThat(Files.size(dir.resolve("model-history"))).isLessThan(80 * perSeriesBound);
    } finally {
      TestFiles.deleteRecursively(dir);
    }
  }

  private static JsonObject answer(String node, String summed, double count, String averaged, double latency) {
    JsonArray counts = new JsonArray().add(new JsonArray().add(T0).add(count));
    if (node.equals("n1")) {
      counts.add(new JsonArray().add(T0 + 10_000).add(count));
    }
    return new JsonObject().put("node", node).put("series", new JsonObject().put(summed, counts)
        .put(averaged, new JsonArray().add(new JsonArray().add(T0).add(latency))));
  }
}
