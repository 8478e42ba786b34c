package dev.gantry.gateway;

import dev.gantry.limits.Verdict;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/** OpenAI's rate-limit headers ({@code x-ratelimit-limit-requests}, {@code -remaining-}, {@code -reset-}, and {@code -tokens}). */
final class RateHeaders {

  private static final CharSequence LIMIT_REQUESTS = HttpHeaders.createOptimized("x-ratelimit-limit-requests");
  private static final CharSequence REMAINING_REQUESTS = HttpHeaders.createOptimized("x-ratelimit-remaining-requests");
  private static final CharSequence RESET_REQUESTS = HttpHeaders.createOptimized("x-ratelimit-reset-requests");
  private static final CharSequence LIMIT_TOKENS = HttpHeaders.createOptimized("x-ratelimit-limit-tokens");
  private static final CharSequence REMAINING_TOKENS = HttpHeaders.createOptimized("x-ratelimit-remaining-tokens");
  private static final CharSequence RESET_TOKENS = HttpHeaders.createOptimized("x-ratelimit-reset-tokens");

  static void put(HttpServerResponse response, Verdict verdict) {
    if (verdict.hasRequestLimit()) {
      response.putHeader(LIMIT_REQUESTS, String.valueOf(verdict.limitRequests()))
          .putHeader(REMAINING_REQUESTS, String.valueOf(verdict.remainingRequests()))
          .putHeader(RESET_REQUESTS, duration(verdict.resetRequestsMs()));
    }
    if (verdict.hasTokenLimit()) {
      response.putHeader(LIMIT_TOKENS, String.valueOf(verdict.limitTokens()))
          .putHeader(REMAINING_TOKENS, String.valueOf(verdict.remainingTokens()))
          .putHeader(RESET_TOKENS, duration(verdict.resetTokensMs()));
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
