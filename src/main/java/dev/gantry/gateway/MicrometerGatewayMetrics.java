package dev.gantry.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code gantry_gateway_requests_total{model,operation,status}}, {@code gantry_gateway_request_duration_seconds},
 * {@code gantry_gateway_ttft_seconds} (streams) and {@code gantry_gateway_tokens_total{model,type}}.
 */
public final class MicrometerGatewayMetrics implements GatewayMetrics {

  private final MeterRegistry registry;

  public MicrometerGatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void requestEnded(String model, String operation, int status, long durationNanos, long ttftNanos, Usage usage) {
    Counter.builder("gantry_gateway_requests").description("Gateway requests by model, operation and HTTP status")
        .tags("model", model, "operation", operation, "status", Integer.toString(status))
        .register(registry).increment();
    timer("gantry_gateway_request_duration", "Time from request to the last byte of the answer", model, operation)
        .record(durationNanos, TimeUnit.NANOSECONDS);
    if (ttftNanos >= 0) {
      timer("gantry_gateway_ttft", "Time from request to the first streamed event", model, operation)
          .record(ttftNanos, TimeUnit.NANOSECONDS);
    }
    tokens(model, "prompt", usage.promptTokens());
    tokens(model, "completion", usage.completionTokens());
  }

  private Timer timer(String name, String description, String model, String operation) {
    return Timer.builder(name).description(description).tags("model", model, "operation", operation)
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5))
        .register(registry);
  }

  private void tokens(String model, String type, int count) {
    if (count > 0) {
      Counter.builder("gantry_gateway_tokens").description("Tokens the engines reported, by model and type")
          .tags("model", model, "type", type).register(registry).increment(count);
    }
  }
}
