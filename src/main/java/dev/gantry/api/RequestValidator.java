package dev.gantry.api;

import dev.gantry.common.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates request bodies against the schemas of the served OpenAPI 3.1 description
 * ({@code components.schemas}), so the document and the checks cannot drift apart. A refusal names the
 * field and the rule it broke ({@link SchemaRules}).
 */
public final class RequestValidator {

  private final Map<String, Validator> validators = new HashMap<>();
  private final Map<String, JsonObject> schemas = new HashMap<>();

  public RequestValidator(JsonObject openApi) {
    JsonObject schemas = openApi.getJsonObject("components").getJsonObject("schemas");
    JsonSchemaOptions options = new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
        .setBaseUri("https://gantry.dev/schemas/").setOutputFormat(OutputFormat.Basic);
    for (String name : schemas.fieldNames()) {
      this.schemas.put(name, schemas.getJsonObject(name));
      validators.put(name, Validator.create(JsonSchema.of(schemas.getJsonObject(name)), options));
    }
  }

  /** Parses the body as a JSON object and checks it against the named schema; fails with a 400 naming the field. */
  public JsonObject body(RoutingContext ctx, String schema) {
    return check(ctx.body().buffer(), schema);
  }

  public JsonObject check(Buffer raw, String schema) {
    JsonObject body = parse(raw);
    Validator validator = validators.get(schema);
    if (validator == null) {
      throw new IllegalStateException("no schema named " + schema + " in openapi.json");
    }
    rejectUnknownFields(body, this.schemas.get(schema));
    rejectUnstorableText(body, "");
    OutputUnit result = validator.validate(body);
    if (!result.getValid()) {
      String rule = new SchemaRules(this.schemas.get(schema), body)
          .explain(result.getErrors() == null ? List.of() : result.getErrors());
      throw ApiException.badRequest(rule != null ? rule : describe(result));
    }
    return body;
  }

  private static void rejectUnknownFields(JsonObject body, JsonObject schema) {
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    if (!Boolean.FALSE.equals(schema.getValue("additionalProperties"))) {
      return;
    }
    for (String field : body.fieldNames()) {
      if (!properties.containsKey(field)) {
        throw ApiException.badRequest("unknown field '" + field + "'; allowed fields: "
            + String.join(", ", properties.fieldNames()));
      }
    }
  }

  /**
   * PostgreSQL cannot store NUL in text (SQLState 22P05) and an unpaired surrogate is not Unicode (it
   * would be stored as '?'): both are refused up front, naming the field, in values and in keys.
   */
  private static void rejectUnstorableText(Object value, String field) {
    if (value instanceof String text) {
      String problem = unstorable(text);
      if (problem != null) {
        throw ApiException.badRequest("invalid request: " + (field.isEmpty() ? "body" : "field '" + field + "'")
            + ": " + problem);
      }
    } else if (value instanceof JsonObject object) {
      for (String key : object.fieldNames()) {
        String name = field.isEmpty() ? key : field + "." + key;
        rejectUnstorableText(key, name);
        rejectUnstorableText(object.getValue(key), name);
      }
    } else if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        rejectUnstorableText(array.getValue(i), field + "." + i);
      }
    }
  }

  static String unstorable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0) {
        return "contains the NUL character (\\u0000), which cannot be stored; remove it";
      }
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "contains an unpaired surrogate (\\u" + Integer.toHexString(c) + "), which is not valid Unicode";
      }
    }
    return null;
  }

  static JsonObject parse(Buffer buffer) {
    if (buffer == null || buffer.length() == 0) {
      throw ApiException.badRequest("request body is required: send a JSON object");
    }
    Object value;
    try {
      value = buffer.toJsonValue();
    } catch (DecodeException e) {
      throw ApiException.badRequest("request body is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (!(value instanceof JsonObject object)) {
      throw ApiException.badRequest("request body must be a JSON object");
    }
    return object;
  }

  /** Names the deepest failing field and the validator's own words, where no rule could be put in better ones. */
  private static String describe(OutputUnit result) {
    OutputUnit best = result;
    for (OutputUnit unit : result.getErrors() == null ? List.<OutputUnit>of() : result.getErrors()) {
      if (depth(unit) > depth(best) || depth(unit) == depth(best) && summary(best) && !summary(unit)) {
        best = unit;
      }
    }
    String location = best.getInstanceLocation() == null ? "" : best.getInstanceLocation().replaceFirst("^#", "");
    String field = location.replaceFirst("^/", "").replace('/', '.');
    return "invalid request: " + (field.isEmpty() ? "body" : "field '" + field + "'") + ": " + best.getError();
  }

  private static int depth(OutputUnit unit) {
    String location = unit.getInstanceLocation();
    return location == null ? -1 : location.replaceFirst("^#", "").split("/", -1).length;
  }

  private static boolean summary(OutputUnit unit) {
    return unit.getError() == null || unit.getError().contains("does not match");
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int cut = message.indexOf('\n');
    String line = cut < 0 ? message : message.substring(0, cut);
    return line.replaceAll(" at \\[Source.*", "").replaceAll("^Failed to decode:", "").strip();
  }
}
