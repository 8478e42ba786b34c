package dev.gantry.gateway;

import dev.gantry.limits.Verdict;
import io.vertx.core.http.HttpServerResponse;

/** OpenAI's rate-limit headers ({@code x-ratelimit-limit-requests}, {@code -remaining-}, {@code -reset-}, and {@code -tokens}). */
final class RateHeaders {

  static void put(HttpServerResponse response, Verdict verdict) {
    if (verdict.hasRequestLimit()) {
      response.putHeader("x-ratelimit-limit-requests", String.valueOf(verdict.limitRequests()))
          .putHeader("x-ratelimit-remaining-requests", String.valueOf(verdict.remainingRequests()))
          .putHeader("x-ratelimit-reset-requests", duration(verdict.resetRequestsMs()));
    }
    if (verdict.hasTokenLimit()) {
      response.putHeader("x-ratelimit-limit-tokens", String.valueOf(verdict.limitTokens()))
          .putHeader("x-ratelimit-remaining-tokens", String.valueOf(verdict.remainingTokens()))
          .putHeader("x-ratelimit-reset-tokens", duration(verdict.resetTokensMs()));
    }
  }

  /** OpenAI's spelling of a wait: {@code 250ms}, {@code 7s}, {@code 6m0s}. */
  static String duration(long ms) {
    if (ms < 1000) {
      return Math.max(0, ms) + "ms";
    }
    long seconds = (ms + 999) / 1000;
    return seconds < 60 ? seconds + "s" : seconds / 60 + "m" + seconds % 60 + "s";
  }

  private RateHeaders() {
  }
}
