package dev.gantry.pool;

/**
 * A cloud call that failed, sorted into what the reconciler does about it: {@link Kind#CAPACITY} tries the
 * next instance type of the pool, {@link Kind#THROTTLED} and {@link Kind#UNAVAILABLE} back off and retry,
 * {@link Kind#REFUSED} (bad credentials, unknown type or image, quota) is shown in the pool's status as the
 * provider's own words, {@link Kind#NOT_FOUND} is a deleted or not yet visible instance.
 */
public final class CloudException extends RuntimeException {

  public enum Kind { CAPACITY, THROTTLED, UNAVAILABLE, REFUSED, NOT_FOUND }

  private final Kind kind;
  private final String code;

  public CloudException(Kind kind, String code, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.code = code;
  }

  public Kind kind() {
    return kind;
  }

  /** The provider's error code ({@code InsufficientInstanceCapacity}, {@code too_many_requests}, …). */
  public String code() {
    return code;
  }

  /** For logs and the pool's status: the provider's code and message. */
  public String describe() {
    return code + ": " + getMessage();
  }
}
