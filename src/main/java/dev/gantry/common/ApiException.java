package dev.gantry.common;

import io.vertx.core.json.JsonObject;

/**
 * The one failure type that carries an HTTP status. Thrown or failed with anywhere; rendered once by
 * the failure handler as {@code {"code":404,"reason":"NotFound","message":"..."}}.
 */
public class ApiException extends RuntimeException {

  private final int status;
  private final String reason;
  private final String param;

  public ApiException(int status, String reason, String message) {
    this(status, reason, message, null);
  }

  /** @param param the request field at fault, for the OpenAI error shape's {@code param}; null when none */
  public ApiException(int status, String reason, String message, String param) {
    super(message, null, false, false);
    this.status = status;
    this.reason = reason;
    this.param = param;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  public String param() {
    return param;
  }

  public JsonObject toJson() {
    return new JsonObject().put("code", status).put("reason", reason).put("message", getMessage());
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "BadRequest", message);
  }

  public static ApiException unauthorized(String message) {
    return new ApiException(401, "Unauthorized", message);
  }

  public static ApiException forbidden(String message) {
    return new ApiException(403, "Forbidden", message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "NotFound", message);
  }

  public static ApiException conflict(String message) {
    return new ApiException(409, "Conflict", message);
  }

  public static ApiException tooManyRequests(String message) {
    return new ApiException(429, "TooManyRequests", message);
  }

  public static ApiException unavailable(String message) {
    return new ApiException(503, "ServiceUnavailable", message);
  }
}
