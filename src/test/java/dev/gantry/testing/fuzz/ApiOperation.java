package dev.gantry.testing.fuzz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One operation of the served OpenAPI document with every {@code $ref} resolved: its path and query
 * parameters and, when it takes one, its request body schema and media types.
 */
public record ApiOperation(String method, String path, List<String> pathParams, Map<String, JsonObject> queryParams,
    String bodySchemaName, JsonObject bodySchema, List<String> mediaTypes) {

  /** Every operation whose path the filter accepts, in document order. */
  public static List<ApiOperation> read(JsonObject doc, Predicate<String> paths) {
    List<ApiOperation> operations = new ArrayList<>();
    JsonObject all = doc.getJsonObject("paths");
    for (String path : all.fieldNames()) {
      if (!paths.test(path)) {
        continue;
      }
      JsonObject item = all.getJsonObject(path);
      List<JsonObject> shared = params(doc, item.getJsonArray("parameters"));
      for (String method : item.fieldNames()) {
        if (!List.of("get", "put", "post", "patch", "delete").contains(method)) {
          continue;
        }
        JsonObject operation = item.getJsonObject(method);
        List<JsonObject> params = new ArrayList<>(shared);
        params.addAll(params(doc, operation.getJsonArray("parameters")));
        operations.add(of(doc, method.toUpperCase(), path, params, operation.getJsonObject("requestBody")));
      }
    }
    return operations;
  }

  /** An operation the router serves but the document does not describe: only its path is known. */
  public static ApiOperation undocumented(String method, String path) {
    List<String> names = new ArrayList<>();
    for (String segment : path.split("/")) {
      if (segment.startsWith("{")) {
        names.add(segment.substring(1, segment.length() - 1));
      }
    }
    return new ApiOperation(method, path, names, Map.of(), null, null, List.of("application/json"));
  }

  /** Whether the method carries a body (documented or not: a POST without one still gets junk bodies). */
  public boolean writes() {
    return List.of("POST", "PUT", "PATCH").contains(method);
  }

  @Override
  public String toString() {
    return method + " " + path;
  }

  private static ApiOperation of(JsonObject doc, String method, String path, List<JsonObject> params, JsonObject body) {
    List<String> pathParams = new ArrayList<>();
    Map<String, JsonObject> query = new java.util.LinkedHashMap<>();
    for (JsonObject param : params) {
      if ("path".equals(param.getString("in"))) {
        pathParams.add(param.getString("name"));
      } else if ("query".equals(param.getString("in"))) {
        query.put(param.getString("name"), resolve(doc, param.getJsonObject("schema", new JsonObject())));
      }
    }
    String schemaName = null;
    JsonObject schema = null;
    List<String> media = new ArrayList<>();
    if (body != null) {
      JsonObject content = resolve(doc, body).getJsonObject("content", new JsonObject());
      media.addAll(content.fieldNames());
      JsonObject first = content.isEmpty() ? null : content.getJsonObject(media.get(0)).getJsonObject("schema");
      if (first != null) {
        String ref = first.getString("$ref");
        schemaName = ref == null ? null : ref.substring(ref.lastIndexOf('/') + 1);
        schema = resolve(doc, first);
      }
    }
    return new ApiOperation(method, path, pathParams, query, schemaName, schema, media);
  }

  private static List<JsonObject> params(JsonObject doc, JsonArray raw) {
    List<JsonObject> out = new ArrayList<>();
    if (raw != null) {
      raw.forEach(p -> out.add(resolve(doc, (JsonObject) p)));
    }
    return out;
  }

  /** Follows {@code $ref}s, also inside properties, items and additionalProperties. */
  static JsonObject resolve(JsonObject doc, JsonObject node) {
    JsonObject current = node;
    while (current.containsKey("$ref")) {
      String[] parts = current.getString("$ref").replaceFirst("^#/", "").split("/");
      JsonObject target = doc;
      for (String part : parts) {
        target = target.getJsonObject(part);
      }
      current = target;
    }
    JsonObject copy = current.copy();
    if (copy.getValue("properties") instanceof JsonObject properties) {
      JsonObject resolved = new JsonObject();
      properties.fieldNames().forEach(name -> resolved.put(name, resolve(doc, properties.getJsonObject(name))));
      copy.put("properties", resolved);
    }
    for (String key : List.of("items", "additionalProperties")) {
      if (copy.getValue(key) instanceof JsonObject inner) {
        copy.put(key, resolve(doc, inner));
      }
    }
    return copy;
  }
}
