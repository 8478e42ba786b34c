package dev.gantry.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@code gantry_gateway_requests_total{model,operation,status}}, {@code gantry_gateway_request_duration_seconds},
 * {@code gantry_gateway_ttft_seconds} (streams), {@code gantry_gateway_tokens_total{model,type}} and
 * {@code gantry_gateway_upstream_connection_failures_total{model,target,cause}}. The meters of each model
 * and operation are looked up once, not built per request. Connection failures are labelled by model,
 * not instance: instance ids change with every restart and would add series without end (the debug log line
 * of a retry names the address).
 */
public final class MicrometerGatewayMetrics implements GatewayMetrics {

  private final MeterRegistry registry;
  /** By model, then operation: two lookups on strings the request already holds, no key built per request. */
  private final Map<String, Map<String, Meters>> meters = new ConcurrentHashMap<>();
  private final Map<String, Counter> connectionFailures = new ConcurrentHashMap<>();

  public MicrometerGatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void requestEnded(String model, String operation, int status, long durationNanos, long ttftNanos, Usage usage) {
    Map<String, Meters> byOperation = meters.get(model);
    if (byOperation == null) {
      byOperation = meters.computeIfAbsent(model, m -> new ConcurrentHashMap<>());
    }
    Meters forModel = byOperation.get(operation);
    if (forModel == null) {
      forModel = byOperation.computeIfAbsent(operation, o -> new Meters(model, operation));
    }
    forModel.requests(status).increment();
    forModel.duration.record(durationNanos, TimeUnit.NANOSECONDS);
    if (ttftNanos >= 0) {
      forModel.ttft.record(ttftNanos, TimeUnit.NANOSECONDS);
    }
    if (usage.promptTokens() > 0) {
      forModel.promptTokens.increment(usage.promptTokens());
    }
    if (usage.completionTokens() > 0) {
      forModel.completionTokens.increment(usage.completionTokens());
    }
  }

  @Override
  public void upstreamConnectionFailed(String model, String instance, String target, String cause) {
    connectionFailures.computeIfAbsent(model + '\n' + instance + '\n' + target + '\n' + cause,
        k -> Counter.builder("gantry_gateway_upstream_connection_failures")
            .description("Requests to engines or other nodes' relay routes that failed before the answer arrived, by cause")
            .tags("model", model == null ? "unknown" : model, "instance", instance == null ? "unknown" : instance,
                "target", target, "cause", cause).register(registry)).increment();
  }

  /** The meters of one model and operation. */
  private final class Meters {
    final String model;
    final String operation;
    /** Request counters by HTTP status (100–599), made on first use. */
    final AtomicReferenceArray<Counter> byStatus = new AtomicReferenceArray<>(600);
    final Timer duration;
    final Timer ttft;
    final Counter promptTokens;
    final Counter completionTokens;

    Meters(String model, String operation) {
      this.model = model;
      this.operation = operation;
      duration = timer("gantry_gateway_request_duration", "Time from request to the last byte of the answer", model, operation);
      ttft = timer("gantry_gateway_ttft", "Time from request to the first streamed event", model, operation);
      promptTokens = tokens(model, "prompt");
      completionTokens = tokens(model, "completion");
    }

    Counter requests(int status) {
      int index = status >= 100 && status < 600 ? status : 599;  // (none is outside: counted as 599 if ever)
      Counter counter = byStatus.get(index);
      if (counter == null) {
        counter = Counter.builder("gantry_gateway_requests").description("Gateway requests by model, operation and HTTP status")
            .tags("model", model, "operation", operation, "status", Integer.toString(index)).register(registry);
        byStatus.set(index, counter);
      }
      return counter;
    }

    private Timer timer(String name, String description, String model, String operation) {
      return Timer.builder(name).description(description).tags("model", model, "operation", operation)
          .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5))
          .register(registry);
    }

    private Counter tokens(String model, String type) {
      return Counter.builder("gantry_gateway_tokens").description("Tokens the engines reported, by model and type")
          .tags("model", model, "type", type).register(registry);
    }
  }
}
