package dev.gantry.testing.fuzz;

import dev.gantry.testing.fuzz.BodyMutations.Body;
import dev.gantry.testing.fuzz.HostileValues.Value;
import dev.gantry.testing.fuzz.RawHttp.Answer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Sends every mutation of every operation as one caller and records what went wrong: a 5xx, an error
 * outside the documented shape, a leaked stack trace or class name, no answer, a rejected write that
 * changed stored state, or an accepted write that does not read back as sent.
 */
public final class FuzzCampaign {

  /** What the campaign needs to know about the system under test. */
  public interface Fixture {
    /** A valid body for the named schema (null name: an undocumented body); unique names each call. */
    JsonObject sample(String schemaName, JsonObject schema);

    /** The real value of a path parameter, for the operation's path template. */
    String pathValue(String template, String param);

    /** Which (field, value) pairs not to send to this operation (e.g. a new password for the caller). */
    BiPredicate<String, Value> skip(ApiOperation operation);

    /** Whether to send this operation with the caller's credentials (false: anonymously, e.g. logout). */
    boolean authenticated(ApiOperation operation);
  }

  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
  private static final Set<String> NOT_ECHOED = Set.of("password", "expires_in", "hub_token");

  private final String role;
  private final RawHttp http;
  private final RawHttp adminHttp;
  private final Map<String, String> headers;
  private final Map<String, String> adminHeaders;
  private final Fixture fixture;
  private final Random random;
  private final long bodyLimit;
  private final List<String> failures = new ArrayList<>();
  private final Map<String, JsonObject> originals = new LinkedHashMap<>();
  private ResourceSnapshot state;
  private int sent;
  private int checks;

  public FuzzCampaign(String role, RawHttp http, Map<String, String> headers, RawHttp adminHttp,
      Map<String, String> adminHeaders, Fixture fixture, long seed, long bodyLimit) {
    this.role = role;
    this.http = http;
    this.headers = headers;
    this.adminHttp = adminHttp;
    this.adminHeaders = adminHeaders;
    this.fixture = fixture;
    this.random = new Random(seed);
    this.bodyLimit = bodyLimit;
  }

  public List<String> failures() {
    return failures;
  }

  public int sent() {
    return sent;
  }

  /** Requests made to take the stored-state snapshots (on top of {@link #sent}). */
  public int checks() {
    return checks;
  }

  private ResourceSnapshot snapshot() throws IOException {
    checks += 4;
    return ResourceSnapshot.take(adminHttp, adminHeaders);
  }

  public void run(List<ApiOperation> operations) throws IOException {
    state = snapshot();
    for (ApiOperation operation : operations) {
      String target = fill(operation, Map.of());
      fuzzPath(operation);
      fuzzQuery(operation, target);
      if (operation.writes()) {
        remember(target);
        fuzzBody(operation, target);
      }
    }
  }

  private void fuzzPath(ApiOperation operation) throws IOException {
    for (String param : operation.pathParams()) {
      for (Value value : HostileValues.PATH) {
        String target = fill(operation, Map.of(param, value.text()));
        JsonObject sample = fixture.sample(operation.bodySchemaName(), operation.bodySchema());
        probe(operation, target, param + " = " + value.label(), operation.writes()
            ? new Body("valid body", BodyMutations.JSON, sample.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8)) : null);
      }
    }
  }

  private void fuzzQuery(ApiOperation operation, String target) throws IOException {
    if ("DELETE".equals(operation.method())) {
      probe(operation, target.replaceAll("/[^/]*$", "/no-such-item") + "?zz_unknown=%00", "unknown query on a missing item", null);
      return;
    }
    Body body = operation.writes() ? new Body("valid body", BodyMutations.JSON,
        fixture.sample(operation.bodySchemaName(), operation.bodySchema()).encode().getBytes(java.nio.charset.StandardCharsets.UTF_8)) : null;
    probe(operation, target + "?zz_unknown=%00&zz_unknown=%FF", "unknown query parameters", body);
    if (operation.writes()) {
      return;
    }
    for (String param : operation.queryParams().keySet()) {
      for (Value value : HostileValues.QUERY) {
        probe(operation, target + "?" + param + "=" + value.text(), param + " = " + value.label(), null);
      }
      probe(operation, target + "?" + param + "=1&" + param + "=2", param + " given twice", null);
    }
    for (Map.Entry<String, JsonObject> param : operation.queryParams().entrySet()) {
      if ("boolean".equals(param.getValue().getValue("type"))) {
        StringBuilder others = new StringBuilder();
        operation.queryParams().keySet().stream().filter(p -> !p.equals(param.getKey()))
            .forEach(p -> others.append('&').append(p).append("=abc%00"));
        probe(operation, target + "?" + param.getKey() + "=true" + others, param.getKey() + " = true, others junk", null);
      }
    }
    Set<String> params = operation.queryParams().keySet();
    if (params.contains("page") && params.contains("perPage")) {
      probe(operation, target + "?page=2147483647&perPage=1000", "last possible page", null);
      probe(operation, target + "?page=21474837&perPage=1000", "page * perPage past 2^31", null);
    }
    if (params.contains("watch")) {
      probe(operation, target + "?watch=true&page=abc&sort_by=%00&search=%ED%A0%80", "watch with bad list params", null);
    }
  }

  private void fuzzBody(ApiOperation operation, String target) throws IOException {
    JsonObject sample = fixture.sample(operation.bodySchemaName(), operation.bodySchema());
    BodyMutations mutations = new BodyMutations(operation.bodySchema(), sample, random, fixture.skip(operation));
    List<Body> bodies = new ArrayList<>(mutations.all(bodyLimit));
    if (operation.mediaTypes().contains("application/x-www-form-urlencoded")) {
      bodies.addAll(mutations.form());
    }
    for (Body body : bodies) {
      probe(operation, target, body.label(), body);
    }
  }

  private void probe(ApiOperation operation, String target, String label, Body body) throws IOException {
    Map<String, String> sendHeaders = fixture.authenticated(operation) ? headers : Map.of();
    String request = role + " " + operation.method() + " " + abbreviate(target) + " [" + label + "]";
    Answer answer;
    sent++;
    try {
      answer = http.send(operation.method(), target, sendHeaders, body == null ? null : body.contentType(),
          body == null ? null : body.bytes());
    } catch (IOException e) {
      failures.add(request + " -> no answer: " + e.getMessage());
      return;
    }
    ResponseOracle.problem(target, answer).ifPresent(problem -> failures.add(request + " -> " + problem + ": "
        + answer.status() + " " + abbreviate(answer.body())));
    if (!WRITES.contains(operation.method())) {
      return;
    }
    if (answer.status() >= 400) {
      ResourceSnapshot now = snapshot();
      String changes = now.changesSince(state);
      if (!changes.isEmpty()) {
        failures.add(request + " -> rejected with " + answer.status() + " but stored state changed: " + changes);
      }
      state = now;
      return;
    }
    if (body != null && BodyMutations.JSON.equals(body.contentType()) && target.startsWith("/v2")) {
      readBack(operation, target, request, body, answer);
    }
    state = snapshot();
  }

  /** An accepted write reads back whole; the created item is removed, a changed one put back. */
  private void readBack(ApiOperation operation, String target, String request, Body body, Answer answer)
      throws IOException {
    JsonObject sent;
    try {
      sent = new JsonObject(body.text().replaceFirst("^\uFEFF", ""));
    } catch (RuntimeException notAnObject) {
      failures.add(request + " -> accepted a body that is not a JSON object: " + answer.status());
      return;
    }
    boolean created = "POST".equals(operation.method());
    Object id = created && answer.body().startsWith("{") ? idOf(new JsonObject(answer.body())) : null;
    if (created && id == null) {
      return;
    }
    String path = target.replaceFirst("\\?.*", "");
    String item = created ? path + "/" + id : path;
    JsonObject original = created ? null : originals.get(path);
    Answer read = adminHttp.send("GET", item, pick(item), null, null);
    if (read.status() != 200) {
      failures.add(request + " -> accepted with " + answer.status() + " but GET " + item + " answers " + read.status());
    } else {
      JsonObject stored = new JsonObject(read.body());
      JsonObject properties = operation.bodySchema() == null ? new JsonObject()
          : operation.bodySchema().getJsonObject("properties", new JsonObject());
      for (String field : sent.fieldNames()) {
        boolean autoscaled = "replicas".equals(field) && stored.getValue("autoscale") instanceof JsonObject;
        if (properties.containsKey(field) && !NOT_ECHOED.contains(field) && !autoscaled
            && !same(sent.getValue(field), stored.getValue(field))) {
          failures.add(request + " -> accepted, but field '" + field + "' reads back as "
              + abbreviate(String.valueOf(stored.getValue(field))) + " instead of " + abbreviate(String.valueOf(sent.getValue(field))));
        }
      }
    }
    if (created) {
      adminHttp.send("DELETE", item, adminHeaders, null, null);
    } else if (original != null) {
      restore(path, sent, original);
    }
  }

  /** Remembers how an item looked before the operation's bodies, to put it back after an accepted change. */
  private void remember(String target) throws IOException {
    Answer answer = adminHttp.send("GET", target, pick(target), null, null);
    if (answer.status() == 200) {
      originals.put(target, new JsonObject(answer.body()));
    }
  }

  private void restore(String target, JsonObject sent, JsonObject original) throws IOException {
    JsonObject back = new JsonObject();
    sent.fieldNames().stream().filter(f -> !NOT_ECHOED.contains(f) && original.getValue(f) != null)
        .forEach(f -> back.put(f, original.getValue(f)));
    if (!back.isEmpty()) {
      http.send("PATCH", target, headers, BodyMutations.JSON, back.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** /v2/users/me belongs to the caller: read it with the caller's own credentials. */
  private Map<String, String> pick(String target) {
    return target.contains("/me") ? headers : adminHeaders;
  }

  private static Object idOf(JsonObject created) {
    return created.getValue("id") != null ? created.getValue("id") : created.getValue("name");
  }

  /** Equal values; an empty list may be filled with the server's default (e.g. a model's categories). */
  private static boolean same(Object sent, Object stored) {
    if (sent instanceof io.vertx.core.json.JsonArray list && list.isEmpty() && stored != null) {
      return true;
    }
    if (sent instanceof Number a && stored instanceof Number b) {
      return new java.math.BigDecimal(a.toString()).compareTo(new java.math.BigDecimal(b.toString())) == 0;
    }
    return java.util.Objects.equals(sent, stored);
  }

  private String fill(ApiOperation operation, Map<String, String> overrides) {
    String target = operation.path();
    for (String param : operation.pathParams()) {
      String value = overrides.getOrDefault(param, fixture.pathValue(operation.path(), param));
      target = target.replace("{" + param + "}", value);
    }
    return target;
  }

  private static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...(" + text.length() + " chars)";
  }
}
