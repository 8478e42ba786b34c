package dev.gantry.gateway;

import dev.gantry.auth.Principal;
import dev.gantry.common.Addresses;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The usage record of one gateway request, filled in as the request goes and sent exactly once to
 * this node's metering verticle ({@code metering.usage}) when it ends, however it ends.
 *
 * <p>Its id is the gateway's own: the {@code X-Request-Id} a caller chooses is kept beside it, since
 * a caller repeating one must not make the idempotent insert drop its later requests.
 */
final class UsageMeter {

  static final String OK = "ok";
  static final String ERROR = "error";
  static final String CANCELLED = "cancelled";
  /** Recorded status of a request whose client went away before the answer ended (nginx's convention). */
  static final int CLIENT_CLOSED = 499;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final String id = newId();
  private final long startNanos = System.nanoTime();
  private final Instant createdAt = Instant.now();
  private final String requestId;
  private final Principal principal;
  private final Operation operation;
  private final String gatewayNode;
  private String model = "";
  private boolean modelExists;
  private Upstream upstream;
  private Usage usage = Usage.NONE;
  private Supplier<Usage> usageSource;
  private long ttftNanos = -1;
  private int status;
  private String outcome;
  private boolean ended;

  UsageMeter(String requestId, Principal principal, Operation operation, String gatewayNode) {
    this.requestId = requestId;
    this.principal = principal;
    this.operation = operation;
    this.gatewayNode = gatewayNode;
  }

  void model(String name, boolean exists) {
    this.model = name;
    this.modelExists = exists;
  }

  void upstream(Upstream upstream) {
    this.upstream = upstream;
  }

  void usage(Usage usage) {
    if (usage != null) {
      this.usage = usage;
    }
  }

  /** Reads the usage from {@code source} when the request ends (a stream's running tally). */
  void usageFrom(Supplier<Usage> source) {
    this.usageSource = source;
  }

  void firstToken() {
    if (ttftNanos < 0) {
      ttftNanos = System.nanoTime() - startNanos;
    }
  }

  /** Fixes status and outcome before the response shows them (a stream that broke after its 200). */
  void result(int status, String outcome) {
    if (this.outcome == null) {
      this.status = status;
      this.outcome = outcome;
    }
  }

  boolean ended() {
    return ended;
  }

  /**
   * Sends the record, once; {@code responseStatus} and {@code delivered} (whether the response was ended
   * rather than cut off by the client) decide what {@link #result} did not.
   */
  void end(int responseStatus, boolean delivered, EventBus bus, GatewayMetrics metrics) {
    if (ended) {
      return;
    }
    ended = true;
    if (usageSource != null) {
      usage = usageSource.get();
    }
    if (outcome == null) {
      status = delivered ? responseStatus : CLIENT_CLOSED;
      outcome = !delivered ? CANCELLED : responseStatus < 400 ? OK : ERROR;
    }
    long duration = System.nanoTime() - startNanos;
    metrics.requestEnded(modelExists ? model : "unknown", operation.meterName(), status, duration, ttftNanos, usage);
    bus.send(Addresses.METERING_USAGE, toJson(duration), LOCAL);
  }

  /**
   * A unique record id (128 random bits, base 36). Not a secret, so the fast thread-local generator
   * serves, not the contended SecureRandom.
   */
  static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return Long.toUnsignedString(random.nextLong(), 36) + "-" + Long.toUnsignedString(random.nextLong(), 36);
  }

  private JsonObject toJson(long durationNanos) {
    return new JsonObject()
        .put("id", id)
        .put("request_id", requestId)
        .put("created_at", createdAt.toString())
        .put("user_id", principal.userId())
        .put("username", principal.username())
        .put("api_key_id", principal.keyId())
        .put("model", model)
        .put("instance_id", upstream == null ? null : upstream.id())
        .put("node_name", upstream == null ? null : upstream.nodeName())
        .put("gateway_node", gatewayNode)
        .put("operation", operation.meterName())
        .put("prompt_tokens", usage.promptTokens())
        .put("completion_tokens", usage.completionTokens())
        .put("duration_ms", durationNanos / 1_000_000)
        .put("ttft_ms", ttftNanos < 0 ? null : ttftNanos / 1_000_000)
        .put("status", status)
        .put("outcome", outcome);
  }
}
