package dev.gantry.common;

/** A 429 or 503 that tells the caller when to try again: rendered with a {@code Retry-After} header. */
public final class RetryLater extends ApiException {

  private final long seconds;

  private RetryLater(int status, String reason, String message, long seconds) {
    super(status, reason, message);
    this.seconds = Math.max(1, seconds);
  }

  public static RetryLater tooManyRequests(String message, long seconds) {
    return new RetryLater(429, "TooManyRequests", message, seconds);
  }

  /** A 429 with an OpenAI code ({@code rate_limit_exceeded}, {@code insufficient_quota}). */
  public static RetryLater tooManyRequests(String code, String message, long seconds) {
    return new RetryLater(429, code, message, seconds);
  }

  public static RetryLater unavailable(String message, long seconds) {
    return new RetryLater(503, "ServiceUnavailable", message, seconds);
  }

  public long seconds() {
    return seconds;
  }
}
