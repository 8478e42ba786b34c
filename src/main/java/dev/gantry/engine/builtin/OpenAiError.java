package dev.gantry.engine.builtin;

import io.vertx.core.json.JsonObject;

/**
 * A failure the engine reports to its client in the OpenAI error shape
 * {@code {"error":{"message","type","param","code"}}}, with the HTTP status it carries; the types are
 * OpenAI's ({@code invalid_request_error}, {@code authentication_error}, {@code not_found_error},
 * {@code server_error}), like the gateway's own errors.
 */
final class OpenAiError extends RuntimeException {

  private final int status;
  private final String type;
  private final String param;
  private final String code;

  private OpenAiError(int status, String type, String param, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
  }

  /** A 400 for a request field that is missing or wrong; the message names the field. */
  static OpenAiError badField(String field, String problem) {
    return new OpenAiError(400, "invalid_request_error", field, "invalid_value", field + " " + problem);
  }

  static OpenAiError badRequest(String code, String message) {
    return new OpenAiError(400, "invalid_request_error", null, code, message);
  }

  static OpenAiError bodyTooLarge(long limitBytes) {
    return new OpenAiError(413, "invalid_request_error", null, "body_too_large",
        "request body is larger than " + (limitBytes >> 20) + " MiB");
  }

  static OpenAiError unauthorized() {
    return new OpenAiError(401, "authentication_error", null, "invalid_api_key",
        "missing or incorrect API key: send it as 'Authorization: Bearer <key>'");
  }

  static OpenAiError modelNotFound(String requested, String served) {
    return new OpenAiError(404, "not_found_error", "model", "model_not_found",
        "model '" + requested + "' does not exist here; this engine serves '" + served + "'");
  }

  static OpenAiError notFound(String path) {
    return new OpenAiError(404, "not_found_error", null, "unknown_url", "no route for " + path);
  }

  static OpenAiError loading() {
    return new OpenAiError(503, "server_error", null, "model_loading",
        "the model is still loading; retry when GET /health answers 200");
  }

  static OpenAiError internal(String message) {
    return new OpenAiError(500, "server_error", null, "internal_error", message);
  }

  int status() {
    return status;
  }

  JsonObject toJson() {
    return new JsonObject().put("error", new JsonObject()
        .put("message", getMessage())
        .put("type", type)
        .put("param", param)
        .put("code", code));
  }
}
