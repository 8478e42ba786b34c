package dev.gantry.api;

import dev.gantry.common.ApiException;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Errors under {@code /v1} in OpenAI's shape, {@code {"error":{"message","type","param","code"}}}, with
 * OpenAI's types and codes, so the official SDKs raise the exception a caller expects. A failure that
 * already carries an OpenAI code (snake_case reason: {@code model_not_found}, {@code upstream_error}…)
 * keeps it; the management API's reasons are translated.
 */
final class OpenAiErrors {

  private static final Map<String, String> CODES = Map.of(
      "BadRequest", "invalid_request",
      "Forbidden", "permission_denied",
      "NotFound", "unknown_url",
      "MethodNotAllowed", "method_not_allowed",
      "Conflict", "conflict",
      "PayloadTooLarge", "request_too_large",
      "UnsupportedMediaType", "unsupported_media_type",
      "TooManyRequests", "rate_limit_exceeded",
      "ServiceUnavailable", "service_unavailable",
      "InternalError", "internal_error");

  /** @param credentialsSent whether the request carried an API key or a session: a 401 then means a bad one */
  static JsonObject render(ApiException error, boolean credentialsSent) {
    return new JsonObject().put("error", new JsonObject()
        .put("message", error.getMessage())
        .put("type", "insufficient_quota".equals(error.reason()) ? "insufficient_quota" : type(error.status()))
        .put("param", error.param())
        .put("code", code(error, credentialsSent)));
  }

  static String type(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 429 -> "rate_limit_error";
      default -> status >= 500 ? "server_error" : "invalid_request_error";
    };
  }

  private static String code(ApiException error, boolean credentialsSent) {
    if (error.status() == 401) {
      return credentialsSent ? "invalid_api_key" : "missing_api_key";
    }
    String reason = error.reason();
    if (reason.matches("[a-z0-9_]+")) {
      return reason;
    }
    return CODES.getOrDefault(reason, reason.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT));
  }

  private OpenAiErrors() {
  }
}
