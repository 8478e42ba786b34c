package dev.gantry.gateway;

import dev.gantry.auth.Principal;
import dev.gantry.common.UsageRecord;
import dev.gantry.common.UsageSink;
import dev.gantry.limits.Prices;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The usage record of one gateway request, filled in as the request goes and handed exactly once to
 * this node's {@link UsageSink} (the usage journal): by {@link #complete} just before the answer's last
 * bytes go out, so that a client that got its answer always has its record, or by {@link #end} when the
 * request ended otherwise (the client went away).
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

  private final String id = newId();
  private final long startNanos = System.nanoTime();
  private final Instant createdAt = Instant.now();
  private final String requestId;
  private final Principal principal;
  private final String operation;
  private final String gatewayNode;
  private final UsageSink sink;
  private final GatewayMetrics metrics;
  private String model;
  private boolean modelExists;
  private Upstream upstream;
  private Usage usage = Usage.NONE;
  private Supplier<Usage> usageSource;
  private long ttftNanos = -1;
  private int status;
  private String outcome;
  private boolean recorded;
  private boolean ended;
  private Admission.Ticket ticket;

  UsageMeter(String requestId, Principal principal, String operation, String gatewayNode, UsageSink sink,
      GatewayMetrics metrics) {
    this.requestId = requestId;
    this.principal = principal;
    this.operation = operation;
    this.gatewayNode = gatewayNode;
    this.sink = sink;
    this.metrics = metrics;
  }

  /** The model the request named; blank or null (an unparseable body, no "model" string) is recorded as null. */
  void model(String name, boolean exists) {
    this.model = name == null || name.isBlank() ? null : name;
    this.modelExists = exists;
  }

  /** The request was admitted under limits: its tokens are charged to them when it is recorded. */
  void admitted(Admission.Ticket ticket) {
    this.ticket = ticket;
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

  /** Records the request as answered with {@code responseStatus}: call it just before the answer's last bytes go out. */
  void complete(int responseStatus) {
    record(responseStatus, true);
  }

  /**
   * The request is over: records it unless {@link #complete} did; {@code responseStatus} and
   * {@code delivered} (whether the response was ended rather than cut off by the client) decide what
   * {@link #result} did not.
   */
  void end(int responseStatus, boolean delivered) {
    ended = true;
    record(responseStatus, delivered);
  }

  private void record(int responseStatus, boolean delivered) {
    if (recorded) {
      return;
    }
    recorded = true;
    if (usageSource != null) {
      usage = usageSource.get();
    }
    if (outcome == null) {
      status = delivered ? responseStatus : CLIENT_CLOSED;
      outcome = !delivered ? CANCELLED : responseStatus < 400 ? OK : ERROR;
    }
    long duration = System.nanoTime() - startNanos;
    metrics.requestEnded(modelExists ? model : "unknown", operation, status, duration, ttftNanos, usage);
    long costMicros = ticket == null ? -1 : ticket.finish(usage.promptTokens(), usage.completionTokens());
    sink.record(toRecord(duration, costMicros));
  }

  /**
   * A unique record id: the time in milliseconds (9 base-36 digits, so ids sort by time until the year
   * 5188) and 63 random bits. Time first makes the primary key's inserts land at the right edge of its
   * B-tree instead of on a random page each. Not a secret, so the fast thread-local generator serves, not
   * the contended SecureRandom.
   */
  static String newId() {
    return Long.toString(System.currentTimeMillis(), 36) + "-"
        + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
  }

  private UsageRecord toRecord(long durationNanos, long costMicros) {
    return new UsageRecord(id, requestId, createdAt, principal.userId(), principal.username(), principal.keyId(), model,
        upstream == null ? null : upstream.id(), upstream == null ? null : upstream.nodeName(), gatewayNode,
        operation, usage.promptTokens(), usage.completionTokens(), durationNanos / 1_000_000,
        ttftNanos < 0 ? null : ttftNanos / 1_000_000, status, outcome, costMicros < 0 ? null : Prices.amount(costMicros));
  }
}
