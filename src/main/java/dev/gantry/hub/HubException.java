package dev.gantry.hub;

import java.io.IOException;

/**
 * A hub said no, or could not be reached. {@code status} is the HTTP status the management API answers
 * with (404 unknown repo or revision, 403 gated, 400 refused token, 502 hub unreachable or failing);
 * {@code retryable} says whether trying again later may help (timeouts, 429, 5xx, cut connections).
 */
public final class HubException extends IOException {

  private final int status;
  private final boolean retryable;

  public HubException(int status, boolean retryable, String message) {
    super(message);
    this.status = status;
    this.retryable = retryable;
  }

  public int status() {
    return status;
  }

  public boolean retryable() {
    return retryable;
  }
}
