package dev.gantry.testing.fuzz;

import dev.gantry.testing.fuzz.HostileValues.Value;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiPredicate;

/**
 * Mutated request bodies for one schema, built from a valid sample: each field set to each hostile
 * value (and, for objects and arrays, each hostile value one level down), each required field left
 * out, extra fields, bodies that are not JSON objects, bodies at the size limit, wrong content types.
 */
public final class BodyMutations {

  /** A body to send; {@code label} says what was changed, for the failure report. */
  public record Body(String label, String contentType, byte[] bytes) {

    public String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  public static final String JSON = "application/json";
  private static final List<String> NESTED = List.of("null", "zero", "1e400", "2^63", "empty string", "NUL",
      "lone high surrogate", "nested object", "10k string", "empty array");

  private final JsonObject schema;
  private final JsonObject sample;
  private final Random random;
  private final BiPredicate<String, Value> skip;

  /**
   * @param schema the resolved body schema (null: the operation documents no body)
   * @param sample a body the schema accepts
   * @param skip which (field, value) pairs not to send, e.g. a valid new password for the caller
   */
  public BodyMutations(JsonObject schema, JsonObject sample, Random random, BiPredicate<String, Value> skip) {
    this.schema = schema == null ? new JsonObject() : schema;
    this.sample = sample;
    this.random = random;
    this.skip = skip;
  }

  public List<Body> all(long bodyLimit) {
    List<Body> out = new ArrayList<>();
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    List<String> fields = new ArrayList<>(properties.fieldNames());
    fields.sort(null);
    for (String field : fields) {
      JsonObject property = properties.getJsonObject(field);
      for (Value value : HostileValues.forType(type(property))) {
        add(out, field, value, value.text());
      }
      if ("string".equals(type(property))) {
        add(out, field, HostileValues.BIG_JSON.get(0), HostileValues.BIG_JSON.get(0).text());
      }
      for (Value value : HostileValues.JSON) {
        if (!NESTED.contains(value.label())) {
          continue;
        }
        if (isObject(property)) {
          add(out, field, new Value("{fz: " + value.label() + "}", value.text()), "{\"fz\":" + value.text() + "}");
        }
        if (isArray(property)) {
          add(out, field, new Value("[" + value.label() + "]", value.text()), "[" + value.text() + "]");
        }
      }
    }
    if (!fields.isEmpty()) {
      String field = fields.get(random.nextInt(fields.size()));
      for (Value deep : HostileValues.BIG_JSON.subList(1, HostileValues.BIG_JSON.size())) {
        add(out, field, deep, deep.text());
      }
    }
    for (Object required : schema.getJsonArray("required", new io.vertx.core.json.JsonArray())) {
      JsonObject without = sample.copy();
      without.remove((String) required);
      out.add(new Body("without required '" + required + "'", JSON, bytes(without.encode())));
    }
    out.add(new Body("extra field", JSON, bytes(splice("zz_extra", "1"))));
    out.add(new Body("empty field name", JSON, bytes(splice("", "null"))));
    out.add(new Body("__proto__", JSON, bytes(splice("__proto__", "{\"admin\":true}"))));
    out.add(new Body("duplicate key", JSON, bytes(splice("zz_dup", "1").replaceFirst("\\{", "{\"zz_dup\":2,"))));
    out.addAll(wholeBodies(bodyLimit));
    return out;
  }

  /** Form bodies: each field set to each hostile query value, and fields missing. */
  public List<Body> form() {
    List<Body> out = new ArrayList<>();
    List<String> fields = new ArrayList<>(sample.fieldNames());
    for (String field : fields) {
      for (Value value : HostileValues.QUERY) {
        StringBuilder form = new StringBuilder();
        for (String other : fields) {
          form.append(form.length() == 0 ? "" : "&").append(other).append('=')
              .append(other.equals(field) ? value.text() : java.net.URLEncoder.encode(sample.getValue(other).toString(),
                  StandardCharsets.UTF_8));
        }
        out.add(new Body("form " + field + "=" + value.label(), "application/x-www-form-urlencoded", bytes(form.toString())));
      }
    }
    out.add(new Body("empty form", "application/x-www-form-urlencoded", new byte[0]));
    out.add(new Body("form of garbage", "application/x-www-form-urlencoded", bytes("&&==%%&a")));
    out.add(new Body("multipart without boundary", "multipart/form-data", bytes("--x\r\n\r\n")));
    return out;
  }

  private List<Body> wholeBodies(long bodyLimit) {
    String valid = sample.encode();
    List<Body> out = new ArrayList<>(List.of(
        new Body("empty body", JSON, new byte[0]),
        new Body("blank body", JSON, bytes("   ")),
        new Body("JSON null", JSON, bytes("null")),
        new Body("JSON array", JSON, bytes("[" + valid + "]")),
        new Body("JSON string", JSON, bytes("\"text\"")),
        new Body("JSON number", JSON, bytes("123")),
        new Body("truncated JSON", JSON, bytes(valid.substring(0, valid.length() / 2))),
        new Body("trailing comma", JSON, bytes("{\"a\":1,}")),
        new Body("single quotes", JSON, bytes("{'a':1}")),
        new Body("trailing garbage", JSON, bytes(valid + "x")),
        new Body("two objects", JSON, bytes(valid + valid)),
        new Body("invalid UTF-8", JSON, new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'}),
        new Body("UTF-8 byte order mark", JSON, concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, bytes(valid))),
        new Body("10,000 nested arrays", JSON, bytes(HostileValues.BIG_JSON.get(1).text())),
        new Body("10,000 nested objects", JSON, bytes(HostileValues.BIG_JSON.get(2).text())),
        new Body("text/plain", "text/plain", bytes(valid)),
        new Body("no content type", null, bytes(valid)),
        new Body("form content type", "application/x-www-form-urlencoded", bytes(valid)),
        new Body("XML content type", "application/xml", bytes("<a>1</a>")),
        new Body("UTF-16 charset", "application/json; charset=utf-16", bytes(valid)),
        new Body("multipart content type", "multipart/form-data; boundary=x", bytes("--x\r\n\r\n--x--\r\n"))));
    out.add(new Body("body 16 bytes under the limit", JSON, bytes(padded(bodyLimit - 16))));
    out.add(new Body("body at the limit", JSON, bytes(padded(bodyLimit))));
    out.add(new Body("body 1 byte over the limit", JSON, bytes(padded(bodyLimit + 1))));
    return out;
  }

  /** The sample with an extra string field that makes the body exactly {@code size} bytes. */
  private String padded(long size) {
    String head = splice("zz_padding", "\"\"");
    int fill = (int) Math.max(0, size - head.length());
    return head.replace("\"zz_padding\":\"\"", "\"zz_padding\":\"" + "p".repeat(fill) + "\"");
  }

  private void add(List<Body> out, String field, Value value, String raw) {
    if (skip.test(field, value)) {
      return;
    }
    out.add(new Body(field + " = " + value.label(), JSON, bytes(splice(field, raw))));
  }

  /** The sample's JSON with {@code field} set to the raw JSON text (replacing any value it had). */
  private String splice(String field, String raw) {
    JsonObject rest = sample.copy();
    rest.remove(field);
    String encoded = rest.encode();
    String member = new JsonObject().put(field, 0).encode();
    member = member.substring(1, member.length() - 2) + raw;
    return "{" + member + (rest.isEmpty() ? "}" : "," + encoded.substring(1));
  }

  /** The property's JSON type as the hostile values know it: string, number, boolean, enum, array or object. */
  private static String type(JsonObject property) {
    if (property.containsKey("enum")) {
      return "enum";
    }
    Object type = property.getValue("type");
    String first = type instanceof io.vertx.core.json.JsonArray types ? types.getString(0) : (String) type;
    return first == null ? (property.containsKey("additionalProperties") ? "object" : "string")
        : "integer".equals(first) ? "number" : first;
  }

  private static boolean isObject(JsonObject property) {
    return "object".equals(property.getValue("type")) || property.containsKey("additionalProperties");
  }

  private static boolean isArray(JsonObject property) {
    Object type = property.getValue("type");
    return "array".equals(type) || type instanceof io.vertx.core.json.JsonArray types && types.contains("array");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
