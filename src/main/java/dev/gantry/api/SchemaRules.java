package dev.gantry.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Says in words which rule of a schema a request broke: the allowed values of an enum, the limits of
 * a number, a length or a list, the expected type, the required fields, and a pattern through the
 * property's {@code x-gantry-rule} (a regular expression is no message for a person).
 */
final class SchemaRules {

  /** Keywords that only report that something beneath them failed. */
  private static final Set<String> SUMMARIES = Set.of("properties", "additionalProperties", "patternProperties",
      "items", "prefixItems", "contains", "allOf", "anyOf", "oneOf", "not", "$ref", "dependentSchemas",
      "unevaluatedProperties", "unevaluatedItems", "propertyNames", "if", "then", "else");
  private static final int SHOWN_CHARACTERS = 60;

  private final JsonObject schema;
  private final JsonObject body;

  SchemaRules(JsonObject schema, JsonObject body) {
    this.schema = schema;
    this.body = body;
  }

  /** The deepest failure that names a rule (not a summary), in words; null when there is none. */
  String explain(List<OutputUnit> errors) {
    OutputUnit best = null;
    for (OutputUnit unit : errors) {
      if (!SUMMARIES.contains(keyword(unit)) && (best == null || depth(unit) > depth(best))) {
        best = unit;
      }
    }
    return best == null ? null : explain(best);
  }

  private String explain(OutputUnit unit) {
    List<String> schemaPath = segments(unit.getKeywordLocation());
    String keyword = schemaPath.isEmpty() ? "" : schemaPath.get(schemaPath.size() - 1);
    Object rules = resolve(schema, schemaPath.subList(0, Math.max(0, schemaPath.size() - 1)));
    List<String> instancePath = segments(unit.getInstanceLocation());
    Object value = resolve(body, instancePath);
    String field = String.join(".", instancePath);
    String where = field.isEmpty() ? "invalid request: " : "invalid request: field '" + field + "' ";
    if (!(rules instanceof JsonObject rule)) {
      return where + unit.getError();
    }
    return switch (keyword) {
      case "type" -> where + "expected " + typeWords(rule.getValue("type")) + ", got " + typeOf(value);
      case "enum" -> where + "must be one of: " + list(rule.getJsonArray("enum")) + "; got " + shown(value);
      case "const" -> where + "must be " + shown(rule.getValue("const")) + "; got " + shown(value);
      case "pattern" -> where + "must be " + rule.getString("x-gantry-rule", "text matching the pattern "
          + rule.getString("pattern")) + "; got " + shown(value);
      case "minLength", "maxLength" -> where + "must be " + limits(rule, "minLength", "maxLength")
          + " characters long; got " + (value instanceof String s ? s.codePointCount(0, s.length()) : 0);
      case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum" -> where + "must be " + range(rule) + "; got "
          + shown(value);
      case "minItems", "maxItems" -> where + "must have " + limits(rule, "minItems", "maxItems") + " items; got "
          + (value instanceof JsonArray a ? a.size() : 0);
      case "required" -> missing(rule, value, field);
      case "minProperties", "maxProperties" -> (field.isEmpty() ? "invalid request: body " : where) + "must have "
          + limits(rule, "minProperties", "maxProperties") + " of the fields "
          + String.join(", ", rule.getJsonObject("properties", new JsonObject()).fieldNames());
      default -> where + unit.getError();
    };
  }

  private static String missing(JsonObject rule, Object value, String field) {
    JsonArray required = rule.getJsonArray("required", new JsonArray());
    List<String> absent = new ArrayList<>();
    for (Object name : required) {
      if (!(value instanceof JsonObject object) || !object.containsKey((String) name)) {
        absent.add((String) name);
      }
    }
    String in = field.isEmpty() ? "" : " in '" + field + "'";
    return "invalid request: missing required field" + (absent.size() == 1 ? " '" : "s '") + String.join("', '", absent)
        + "'" + in + " (required: " + list(required) + ")";
  }

  private static String limits(JsonObject rule, String min, String max) {
    Number low = rule.getNumber(min);
    Number high = rule.getNumber(max);
    if (low != null && high != null) {
      return low.equals(high) ? "exactly " + low : low + " to " + high;
    }
    return low != null ? "at least " + low : "at most " + high;
  }

  private static String range(JsonObject rule) {
    List<String> parts = new ArrayList<>();
    if (rule.getNumber("minimum") != null) {
      parts.add("at least " + rule.getNumber("minimum"));
    }
    if (rule.getNumber("exclusiveMinimum") != null) {
      parts.add("more than " + rule.getNumber("exclusiveMinimum"));
    }
    if (rule.getNumber("maximum") != null) {
      parts.add("at most " + rule.getNumber("maximum"));
    }
    if (rule.getNumber("exclusiveMaximum") != null) {
      parts.add("less than " + rule.getNumber("exclusiveMaximum"));
    }
    return parts.size() == 2 && rule.getNumber("minimum") != null && rule.getNumber("maximum") != null
        ? "between " + rule.getNumber("minimum") + " and " + rule.getNumber("maximum")
        : String.join(" and ", parts);
  }

  private static String typeWords(Object type) {
    if (type instanceof JsonArray types) {
      return types.stream().map(t -> article(String.valueOf(t))).collect(Collectors.joining(" or "));
    }
    return article(String.valueOf(type));
  }

  private static String article(String type) {
    return switch (type) {
      case "integer", "array", "object" -> "an " + type;
      case "null" -> "null";
      case "string", "number", "boolean" -> "a " + type;
      default -> type;
    };
  }

  private static String typeOf(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof Number n) {
      return n.doubleValue() == Math.rint(n.doubleValue()) && !(value instanceof Double || value instanceof Float)
          ? "an integer" : "a number";
    }
    return value instanceof JsonArray ? "an array" : "an object";
  }

  private static String list(JsonArray values) {
    return values == null ? "" : values.stream().map(v -> v instanceof String s ? s : String.valueOf(v))
        .collect(Collectors.joining(", "));
  }

  /** A value as the caller sent it, cut short when long. */
  private static String shown(Object value) {
    if (value instanceof String text) {
      int points = text.codePointCount(0, text.length());
      if (points <= SHOWN_CHARACTERS) {
        return "'" + text + "'";
      }
      return "'" + text.substring(0, text.offsetByCodePoints(0, SHOWN_CHARACTERS)) + "…' (" + points + " characters)";
    }
    String json = value instanceof JsonObject || value instanceof JsonArray ? typeOf(value) : String.valueOf(value);
    return json.length() <= SHOWN_CHARACTERS ? json : json.substring(0, SHOWN_CHARACTERS) + "…";
  }

  private static String keyword(OutputUnit unit) {
    List<String> path = segments(unit.getKeywordLocation());
    return path.isEmpty() ? "" : path.get(path.size() - 1);
  }

  private static int depth(OutputUnit unit) {
    return segments(unit.getInstanceLocation()).size();
  }

  /** The segments of a JSON pointer such as {@code #/properties/name/pattern}, unescaped. */
  static List<String> segments(String pointer) {
    List<String> out = new ArrayList<>();
    if (pointer == null) {
      return out;
    }
    String path = pointer.replaceFirst("^#", "");
    for (String part : path.split("/")) {
      if (!part.isEmpty()) {
        out.add(part.replace("~1", "/").replace("~0", "~"));
      }
    }
    return out;
  }

  private static Object resolve(Object root, List<String> path) {
    Object current = root;
    for (String part : path) {
      if (current instanceof JsonObject object) {
        current = object.getValue(part);
      } else if (current instanceof JsonArray array && part.chars().allMatch(Character::isDigit) && !part.isEmpty()
          && part.length() < 10 && Integer.parseInt(part) < array.size()) {
        current = array.getValue(Integer.parseInt(part));
      } else {
        return null;
      }
    }
    return current;
  }
}
