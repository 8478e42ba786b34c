package dev.gantry.engine.builtin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Typed reads of optional request fields; a wrong type or range fails with a 400 that names the field. */
final class JsonFields {

  private JsonFields() {}

  /** The request body as a JSON object. */
  static JsonObject requestBody(RoutingContext rc) {
    try {
      Object body = rc.body().buffer() == null ? null : rc.body().buffer().toJsonValue();
      if (body instanceof JsonObject object) {
        return object;
      }
    } catch (DecodeException e) {
      throw OpenAiError.badRequest("invalid_json", "request body is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
    throw OpenAiError.badRequest("invalid_json", "request body must be a JSON object");
  }

  static Integer optionalInt(JsonObject body, String field, long min, long max) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
      throw OpenAiError.badField(field, "must be an integer");
    }
    double v = number.doubleValue();
    if (v < min || v > max) {
      throw OpenAiError.badField(field, "must be between " + min + " and " + max + ", got " + number);
    }
    return (int) number.longValue();
  }

  static Double optionalNumber(JsonObject body, String field, double min, double max) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number number)) {
      throw OpenAiError.badField(field, "must be a number");
    }
    double v = number.doubleValue();
    if (Double.isNaN(v) || v < min || v > max) {
      throw OpenAiError.badField(field, "must be between " + min + " and " + max + ", got " + number);
    }
    return v;
  }

  static boolean optionalBoolean(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value != null && !(value instanceof Boolean)) {
      throw OpenAiError.badField(field, "must be true or false");
    }
    return Boolean.TRUE.equals(value);
  }

  static JsonObject optionalObject(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value != null && !(value instanceof JsonObject)) {
      throw OpenAiError.badField(field, "must be a JSON object");
    }
    return value == null ? new JsonObject() : (JsonObject) value;
  }

  static String optionalString(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw OpenAiError.badField(field, "must be a string");
    }
    return (String) value;
  }

  static JsonArray requiredNonEmptyArray(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      throw OpenAiError.badField(field, "is required");
    }
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      throw OpenAiError.badField(field, "must be a non-empty array");
    }
    return array;
  }

  /** The OpenAI {@code model} field is optional here, but when given it must name the served model. */
  static void checkModel(JsonObject body, String servedModel) {
    String model = optionalString(body, "model");
    if (model != null && !model.equals(servedModel)) {
      throw OpenAiError.modelNotFound(model, servedModel);
    }
  }
}
