package dev.gantry.api;

import dev.gantry.common.ApiException;
import io.vertx.core.json.JsonObject;

/**
 * Errors of Anthropic's Messages API ({@code /v1/messages}) in Anthropic's shape,
 * {@code {"type":"error","error":{"type","message"}}}, with Anthropic's error types, so its official
 * SDKs raise the exception a caller expects.
 */
public final class AnthropicErrors {

  /** The path whose errors take this shape. */
  public static final String PATH = "/v1/messages";

  static JsonObject render(ApiException error) {
    String message = error.getMessage();
    if (error.status() == 401 && !error.getMessage().contains("x-api-key")) {
      message += " (here the key may also come as 'x-api-key: gt-...')";
    }
    return body(type(error.status()), message);
  }

  public static JsonObject body(String type, String message) {
    return new JsonObject().put("type", "error").put("error", new JsonObject().put("type", type).put("message", message));
  }

  /** Anthropic's error type for an HTTP status. */
  public static String type(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  private AnthropicErrors() {
  }
}
