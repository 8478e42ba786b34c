package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestNodes;
import dev.gantry.testing.fuzz.ApiOperation;
import dev.gantry.testing.fuzz.FuzzCampaign;
import dev.gantry.testing.fuzz.HostileValues.Value;
import dev.gantry.testing.fuzz.RawHttp;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every {@code /v2} and {@code /auth} operation of the served OpenAPI document (and every route the
 * router serves without a description) gets wrong types, nulls, missing and extra fields, huge
 * strings, deep nesting, odd Unicode, out-of-range numbers, broken JSON, wrong content types and
 * hostile path and query values, as an admin and as a plain user. Seeded: rerun a failure with
 * {@code -Dfuzz.seed=<seed>}.
 */
@DisplayName("Schema-driven fuzzing of /v2 and /auth: no 5xx, no stack trace, nothing half-written")
@TestMethodOrder(OrderAnnotation.class)
class SchemaFuzzTest {

  private static final long SEED = Long.getLong("fuzz.seed", 20261130L);
  private static final AtomicInteger UNIQUE = new AtomicInteger();

  private static TestNodes nodes;
  private static Api admin;
  private static Api user;
  private static JsonObject doc;
  private static final Map<String, String> ADMIN_IDS = new LinkedHashMap<>();
  private static final Map<String, String> USER_IDS = new LinkedHashMap<>();

  @BeforeAll
  static void startNodeAndFixtures() {
    nodes = TestNodes.start(1);
    admin = nodes.admin(1);
    doc = Api.expect(admin.get("/v2/openapi.json"), 200);
    admin.createUser("fz-plain", "fuzz-Password-1", "user");
    user = nodes.api(1).login("fz-plain", "fuzz-Password-1");
    JsonObject victim = admin.createUser("fz-victim", "fuzz-Password-2", "user");
    JsonObject model = Api.expect(admin.post("/v2/models", new JsonObject().put("name", "fz-model")
        .put("source", "local_path").put("local_path", "/nonexistent/fz.gguf").put("backend", "llama.cpp")
        .put("replicas", 0)), 201);
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", "fz-running").put("backend", "custom")
        .put("local_path", "/nonexistent/fz.bin").put("run_command", "sleep 600").put("health_path", "/health")
        .put("estimate_override_bytes", 1).put("replicas", 1)), 201);
    String instance = placedInstance("fz-running");
    for (Map<String, String> ids : List.of(ADMIN_IDS, USER_IDS)) {
      ids.put("/v2/users", victim.getValue("id").toString());
      ids.put("/v2/models", model.getValue("id").toString());
      ids.put("/v2/nodes", nodes.name(1));
      ids.put("/v2/model-instances", instance);
      ids.put("/v2/alert-rules", "replica-error");
    }
    ADMIN_IDS.put("/v2/api-keys", admin.createKey("fz-admin-key", "inference").getString("id"));
    USER_IDS.put("/v2/api-keys", user.createKey("fz-user-key", "inference").getString("id"));
  }

  @AfterAll
  static void stopNode() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  @Order(1)
  @DisplayName("every /v2 and /auth route the router serves is in the OpenAPI document, and the reverse")
  void routerAndDocumentAgree() {
    Set<String> documented = new TreeSet<>();
    documentedOperations().forEach(op -> documented.add(op.toString()));

    Set<String> served = servedRoutes();

    assertThat(served).as("served but not documented").isSubsetOf(documented);
    assertThat(documented).as("documented but not served").isSubsetOf(served);
  }

  @Test
  @Order(2)
  @DisplayName("an admin session's hostile requests get 4xx in the error shape and change nothing they should not")
  void fuzzAsAdmin() throws IOException {
    runCampaign("admin", admin, ADMIN_IDS);
  }

  @Test
  @Order(3)
  @DisplayName("a plain user's hostile requests get 4xx in the error shape and change nothing they should not")
  void fuzzAsPlainUser() throws IOException {
    runCampaign("user", user, USER_IDS);
  }

  private static void runCampaign(String role, Api caller, Map<String, String> ids) throws IOException {
    URI base = URI.create(caller.baseUrl());
    long started = System.nanoTime();
    try (RawHttp http = new RawHttp(base.getHost(), base.getPort());
        RawHttp adminHttp = new RawHttp(base.getHost(), base.getPort())) {
      FuzzCampaign campaign = new FuzzCampaign(role, http, browserHeaders(caller), adminHttp, browserHeaders(admin),
          new Fixture(ids), SEED, ApiRouter.BODY_LIMIT);
      campaign.run(operationsToFuzz());
      long ms = (System.nanoTime() - started) / 1_000_000;
      System.out.printf("fuzz [role: %s] [seed: %d] [requests: %d] [state checks: %d] [failures: %d] [ms: %d]%n",
          role, SEED, campaign.sent(), campaign.checks(), campaign.failures().size(), ms);
      campaign.failures().forEach(f -> System.out.println("fuzz failure [seed: " + SEED + "] " + f));
      assertThat(campaign.failures()).as("fuzz failures (seed " + SEED + ")").isEmpty();
    }
  }

  /** Documented operations, then the served routes the document lacks; /auth last (failed logins throttle). */
  private static List<ApiOperation> operationsToFuzz() {
    List<ApiOperation> operations = new ArrayList<>(documentedOperations());
    Set<String> documented = new TreeSet<>();
    operations.forEach(op -> documented.add(op.toString()));
    for (String route : servedRoutes()) {
      if (!documented.contains(route)) {
        String[] parts = route.split(" ", 2);
        operations.add(ApiOperation.undocumented(parts[0], parts[1]));
      }
    }
    operations.sort((a, b) -> Boolean.compare(a.path().startsWith("/auth"), b.path().startsWith("/auth")));
    return operations;
  }

  private static List<ApiOperation> documentedOperations() {
    return ApiOperation.read(doc, path -> path.startsWith("/v2") || path.startsWith("/auth"));
  }

  /** {@code METHOD /path/{param}} of every /v2 and /auth route with a path and methods. */
  private static Set<String> servedRoutes() {
    Set<String> served = new TreeSet<>();
    for (Route route : nodes.node(1).router().getRoutes()) {
      String path = route.getPath();
      if (path == null || route.methods() == null || route.methods().isEmpty() || path.endsWith("*")
          || !(path.startsWith("/v2") || path.startsWith("/auth"))) {
        continue;
      }
      String template = path.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      for (HttpMethod method : route.methods()) {
        served.add(method.name() + " " + template);
      }
    }
    return served;
  }

  /** The caller's credentials, sent the way the console sends them (same origin). */
  private static Map<String, String> browserHeaders(Api caller) {
    Map<String, String> headers = new LinkedHashMap<>(caller.headers());
    headers.put("Origin", caller.baseUrl());
    headers.put("Sec-Fetch-Site", "same-origin");
    return headers;
  }

  private static String placedInstance(String model) {
    String[] id = new String[1];
    Eventually.await(Duration.ofSeconds(30), () -> {
      JsonArray items = admin.get("/v2/model-instances?model_name=" + model).items();
      assertThat(items).isNotEmpty();
      JsonObject instance = items.getJsonObject(0);
      assertThat(instance.getString("node_name")).isNotNull();
      id[0] = instance.getString("id");
    });
    return id[0];
  }

  /** Valid bodies with unique names, the fixture ids, and what not to send. */
  private record Fixture(Map<String, String> ids) implements FuzzCampaign.Fixture {

    @Override
    public JsonObject sample(String schemaName, JsonObject schema) {
      int n = UNIQUE.incrementAndGet();
      if (schemaName == null) {
        return new JsonObject();
      }
      return switch (schemaName) {
        case "Login" -> new JsonObject().put("username", "fz-nobody").put("password", "not-the-password");
        case "UserCreate" -> new JsonObject().put("username", "fz-u" + n).put("password", "fuzz-Password-3")
            .put("full_name", "Fuzz " + n).put("email", "fz" + n + "@example.com").put("role", "user").put("active", true);
        case "UserUpdate" -> new JsonObject().put("full_name", "Fuzz Victim").put("email", "victim@example.com");
        case "UserSelfUpdate" -> new JsonObject().put("full_name", "Fuzz Self");
        case "ApiKeyCreate" -> new JsonObject().put("name", "fz-k" + n).put("description", "fuzz key")
            .put("expires_in", 3600).put("scope", "inference").put("allowed_models", new JsonArray().add("fz-model"));
        case "NodeUpdate" -> new JsonObject().put("labels", new JsonObject().put("suite", "it").put("index", "1"))
            .put("maintenance", false);
        case "ModelCreate" -> new JsonObject().put("name", "fz-m" + n).put("description", "fuzz model")
            .put("source", "local_path").put("local_path", "/nonexistent/fz.gguf").put("backend", "llama.cpp")
            .put("replicas", 0);
        case "ModelUpdate" -> new JsonObject().put("description", "fuzz model").put("replicas", 0);
        default -> requiredOnly(schema);
      };
    }

    @Override
    public String pathValue(String template, String param) {
      String collection = template.substring(0, template.indexOf("/{"));
      String known = ids.get(collection);
      if (known != null) {
        return known;
      }
      Api.Response list = admin.get(collection + "?perPage=1");
      if (list.status() == 200 && list.json().getJsonArray("items") != null && !list.items().isEmpty()) {
        JsonObject first = list.items().getJsonObject(0);
        Object value = first.getValue(param, first.getValue("id", first.getValue("name")));
        if (value != null) {
          return value.toString();
        }
      }
      return "no-such-item";
    }

    @Override
    public BiPredicate<String, Value> skip(ApiOperation operation) {
      boolean ownPassword = operation.path().startsWith("/v2/users");
      return (field, value) -> ownPassword && "password".equals(field) && value.text().startsWith("\"")
          && value.text().length() < 1100;
    }

    @Override
    public boolean authenticated(ApiOperation operation) {
      // signing out (one session or everywhere) would end the session the campaign runs on
      return !operation.path().contains("logout") && !operation.path().endsWith("/sign-out");
    }

    private static JsonObject requiredOnly(JsonObject schema) {
      JsonObject sample = new JsonObject();
      if (schema == null) {
        return sample;
      }
      JsonObject properties = schema.getJsonObject("properties", new JsonObject());
      for (Object name : schema.getJsonArray("required", new JsonArray())) {
        JsonObject property = properties.getJsonObject((String) name, new JsonObject());
        Object type = property.getValue("type");
        Object value = property.containsKey("enum") ? property.getJsonArray("enum").getValue(0)
            : "integer".equals(type) || "number".equals(type) ? property.getValue("minimum", 1)
            : "boolean".equals(type) ? Boolean.FALSE
            : "array".equals(type) ? new JsonArray() : "object".equals(type) ? new JsonObject() : "fz" + UNIQUE.get();
        sample.put((String) name, value);
      }
      return sample;
    }
  }
}
