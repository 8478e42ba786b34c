package dev.gantry.limits;

/**
 * What the rate limits said about one request, filled in by every counter that applies to it: the
 * tightest request and token figures (for OpenAI's {@code x-ratelimit-*} headers) and, when one refused,
 * what it was and how long until its window frees up. One per request; not shared between threads.
 */
public final class Verdict {

  long limitRequests = -1;
  long remainingRequests = Long.MAX_VALUE;
  long resetRequestsMs;
  long limitTokens = -1;
  long remainingTokens = Long.MAX_VALUE;
  long resetTokensMs;
  String refusal;
  long retryAfterMs;

  /** Why a limit refused the request, in words a person can act on; null when every limit admitted it. */
  public String refusal() {
    return refusal;
  }

  public long retryAfterMs() {
    return retryAfterMs;
  }

  /** Whether a request limit applies (so the {@code -requests} headers are sent). */
  public boolean hasRequestLimit() {
    return limitRequests >= 0;
  }

  public boolean hasTokenLimit() {
    return limitTokens >= 0;
  }

  public long limitRequests() {
    return limitRequests;
  }

  public long remainingRequests() {
    return remainingRequests;
  }

  public long resetRequestsMs() {
    return resetRequestsMs;
  }

  public long limitTokens() {
    return limitTokens;
  }

  public long remainingTokens() {
    return remainingTokens;
  }

  public long resetTokensMs() {
    return resetTokensMs;
  }

  void requests(long limit, long remaining, long resetMs) {
    if (limitRequests < 0 || remaining < remainingRequests) {
      limitRequests = limit;
      remainingRequests = Math.max(0, remaining);
      resetRequestsMs = resetMs;
    }
  }

  void tokens(long limit, long remaining, long resetMs) {
    if (limitTokens < 0 || remaining < remainingTokens) {
      limitTokens = limit;
      remainingTokens = Math.max(0, remaining);
      resetTokensMs = resetMs;
    }
  }

  void refuse(String why, long retryAfterMs) {
    if (refusal == null) {
      refusal = why;
      this.retryAfterMs = Math.max(1, retryAfterMs);
    }
  }
}
