package dev.gantry.model.history;

import dev.gantry.engine.metrics.EngineMetric;
import dev.gantry.node.history.MetricsHistory.Key;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One sample per model of what this node sees of it, read from the node's own meters (no scrape of its
 * own): its engines' {@code gantry.engine.*} meters (summed or averaged over instances) and the gateway's
 * requests. Rates and mean latencies are differences since the previous sample; a meter seen for the
 * first time counts from zero when it is the gateway's (born at its first request) and is skipped when it
 * is an engine's (its engine may have counted before Gantry read it). Keys are {@code (model, metric)}
 * with the metric one of {@link ModelSeries}. Confined to one thread.
 */
final class ModelSampler {

  private final MeterRegistry registry;
  private final Map<Meter.Id, double[]> previous = new HashMap<>();
  private long previousAt = -1;

  ModelSampler(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The sample at {@code nowMs} for the models in {@code models} (others' meters are read, not kept). */
  Map<Key, Double> sample(long nowMs, Set<String> models) {
    Map<String, Accumulator> byModel = new HashMap<>();
    Map<Meter.Id, double[]> seen = new HashMap<>();
    double seconds = previousAt < 0 ? Double.NaN : Math.max(1, nowMs - previousAt) / 1000.0;
    for (Meter meter : registry.getMeters()) {
      String model = meter.getId().getTag("model");
      if (model == null || !models.contains(model)) {
        continue;
      }
      read(meter, byModel.computeIfAbsent(model, m -> new Accumulator()), seen);
    }
    Map<Key, Double> out = new HashMap<>();
    byModel.forEach((model, acc) -> acc.series(seconds).forEach((metric, value) -> out.put(new Key(model, metric), value)));
    previous.clear();
    previous.putAll(seen);
    previousAt = nowMs;
    return out;
  }

  private void read(Meter meter, Accumulator acc, Map<Meter.Id, double[]> seen) {
    String name = meter.getId().getName();
    if (meter instanceof Gauge gauge) {
      if (name.equals(EngineMetric.REQUESTS_RUNNING.meterName())) {
        acc.running += zeroIfNaN(gauge.value());
        acc.engines = true;
      } else if (name.equals(EngineMetric.REQUESTS_WAITING.meterName())) {
        acc.waiting += zeroIfNaN(gauge.value());
        acc.engines = true;
      } else if (name.equals(EngineMetric.KV_CACHE_USAGE_RATIO.meterName()) && !Double.isNaN(gauge.value())) {
        acc.kvSum += gauge.value();
        acc.kvCount++;
      }
    } else if (meter instanceof FunctionCounter counter && name.equals(EngineMetric.GENERATION_TOKENS.meterName())) {
      acc.tokens += delta(meter.getId(), counter.count(), 0, false, seen)[0];
      acc.engines = true;
    } else if (meter instanceof FunctionTimer timer) {
      double[] d = delta(meter.getId(), timer.totalTime(TimeUnit.SECONDS), timer.count(), false, seen);
      if (name.equals(EngineMetric.TTFT_SECONDS.meterName())) {
        plus(acc.ttft, d);
      } else if (name.equals(EngineMetric.TIME_PER_OUTPUT_TOKEN_SECONDS.meterName())) {
        plus(acc.tpot, d);
      }
    } else if (meter instanceof io.micrometer.core.instrument.Counter counter && name.equals("gantry_gateway_requests")) {
      double d = delta(meter.getId(), counter.count(), 0, true, seen)[0];
      acc.requests += d;
      String status = meter.getId().getTag("status");
      if (status != null && status.startsWith("5")) {
        acc.errors += d;
      }
      acc.gateway = true;
    } else if (meter instanceof Timer timer && name.equals("gantry_gateway_ttft")) {
      plus(acc.gatewayTtft, delta(meter.getId(), timer.totalTime(TimeUnit.SECONDS), timer.count(), true, seen));
    }
  }

  /** {@code [value delta, count delta]} since the previous sample; zeros when it cannot be known. */
  private double[] delta(Meter.Id id, double value, double count, boolean fromZero, Map<Meter.Id, double[]> seen) {
    seen.put(id, new double[] {value, count});
    double[] before = previous.get(id);
    if (previousAt < 0 || Double.isNaN(value)) {
      return new double[] {0, 0};
    }
    if (before == null) {
      return fromZero ? new double[] {value, count} : new double[] {0, 0};
    }
    if (value < before[0] || count < before[1]) {
      return new double[] {value, count}; // the engine restarted: its counters began again
    }
    return new double[] {value - before[0], count - before[1]};
  }

  private static void plus(double[] into, double[] delta) {
    into[0] += delta[0];
    into[1] += delta[1];
  }

  private static double zeroIfNaN(double value) {
    return Double.isNaN(value) ? 0 : value;
  }

  /** One model's readings in this sample. */
  private static final class Accumulator {
    boolean engines;
    boolean gateway;
    double running;
    double waiting;
    double kvSum;
    int kvCount;
    double tokens;
    double requests;
    double errors;
    final double[] ttft = new double[2];
    final double[] tpot = new double[2];
    final double[] gatewayTtft = new double[2];

    Map<String, Double> series(double seconds) {
      Map<String, Double> out = new HashMap<>();
      if (engines) {
        out.put(ModelSeries.REQUESTS_RUNNING, running);
        out.put(ModelSeries.REQUESTS_WAITING, waiting);
      }
      if (kvCount > 0) {
        out.put(ModelSeries.KV_CACHE_USAGE_RATIO, kvSum / kvCount);
      }
      if (!Double.isNaN(seconds)) {
        if (engines) {
          out.put(ModelSeries.GENERATION_TOKENS_PER_SECOND, tokens / seconds);
        }
        if (gateway) {
          out.put(ModelSeries.GATEWAY_REQUESTS_PER_SECOND, requests / seconds);
          out.put(ModelSeries.GATEWAY_ERRORS_PER_SECOND, errors / seconds);
        }
      }
      mean(out, ModelSeries.TTFT_SECONDS, ttft);
      mean(out, ModelSeries.TIME_PER_OUTPUT_TOKEN_SECONDS, tpot);
      mean(out, ModelSeries.GATEWAY_TTFT_SECONDS, gatewayTtft);
      return out;
    }

    private static void mean(Map<String, Double> out, String metric, double[] sumAndCount) {
      if (sumAndCount[1] > 0) {
        out.put(metric, sumAndCount[0] / sumAndCount[1]);
      }
    }
  }
}
