package dev.gantry.auth;

import static dev.gantry.auth.Access.ADMIN;
import static dev.gantry.auth.Access.CLUSTER;
import static dev.gantry.auth.Access.INFERENCE;
import static dev.gantry.auth.Access.MANAGEMENT;
import static dev.gantry.auth.Access.PUBLIC;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.cluster.ClusterSecret;
import dev.gantry.testing.Api;
import dev.gantry.testing.Api.Response;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every route the node's router has × every kind of caller → the status the route's rule demands. The
 * routes come from the router itself, so a new route fails this test until {@link #EXPECTED} says who may
 * call it (and its mount declares the same rule with {@code Access.X.on(route)}).
 */
@DisplayName("authorization matrix")
class AuthorizationMatrixTest {

  /**
   * The decision for each route: {@code "METHOD path"} as mounted → its rule. Add a line here when you add
   * a route; the test fails for a route missing here or declaring another rule.
   */
  static final Map<String, Access> EXPECTED = new TreeMap<>(Map.ofEntries(
      Map.entry("GET /health/live", PUBLIC),
      Map.entry("GET /health/ready", PUBLIC),
      Map.entry("GET /metrics", ADMIN),
      Map.entry("GET /auth/config", PUBLIC),
      Map.entry("POST /auth/login", PUBLIC),
      Map.entry("POST /auth/logout", PUBLIC),
      Map.entry("GET /auth/oidc/login", PUBLIC),
      Map.entry("GET /auth/oidc/callback", PUBLIC),
      Map.entry("GET /v2/openapi.json", PUBLIC),
      Map.entry("GET /docs/api", PUBLIC),
      Map.entry("GET /v2/users/me", MANAGEMENT),
      Map.entry("PATCH /v2/users/me", MANAGEMENT),
      Map.entry("GET /v2/users", ADMIN),
      Map.entry("POST /v2/users", ADMIN),
      Map.entry("GET /v2/users/:id", ADMIN),
      Map.entry("PATCH /v2/users/:id", ADMIN),
      Map.entry("PUT /v2/users/:id", ADMIN),
      Map.entry("DELETE /v2/users/:id", ADMIN),
      Map.entry("GET /v2/api-keys", MANAGEMENT),
      Map.entry("POST /v2/api-keys", MANAGEMENT),
      Map.entry("GET /v2/api-keys/:id", MANAGEMENT),
      Map.entry("DELETE /v2/api-keys/:id", MANAGEMENT),
      Map.entry("GET /v2/nodes", MANAGEMENT),
      Map.entry("GET /v2/inference-backends", MANAGEMENT),
      Map.entry("GET /v2/catalog", MANAGEMENT),
      Map.entry("GET /v2/benchmarks", MANAGEMENT),
      Map.entry("POST /v2/benchmarks", ADMIN),
      Map.entry("GET /v2/benchmarks/:id", MANAGEMENT),
      Map.entry("DELETE /v2/benchmarks/:id", ADMIN),
      Map.entry("GET /v2/tuning-runs", MANAGEMENT),
      Map.entry("POST /v2/tuning-runs", ADMIN),
      Map.entry("GET /v2/tuning-runs/:id", MANAGEMENT),
      Map.entry("DELETE /v2/tuning-runs/:id", ADMIN),
      Map.entry("GET /v2/nodes/:name", MANAGEMENT),
      Map.entry("PATCH /v2/nodes/:name", ADMIN),
      Map.entry("DELETE /v2/nodes/:name", ADMIN),
      Map.entry("GET /v2/metrics/nodes/:name", MANAGEMENT),
      Map.entry("GET /v2/metrics/models/:name", MANAGEMENT),
      Map.entry("GET /v2/gpu-devices", MANAGEMENT),
      Map.entry("GET /v2/models", MANAGEMENT),
      Map.entry("POST /v2/models", ADMIN),
      Map.entry("POST /v2/models/evaluate", ADMIN),
      Map.entry("GET /v2/model-files", ADMIN),
      Map.entry("DELETE /v2/model-files/:id", ADMIN),
      Map.entry("GET /v2/models/:id", MANAGEMENT),
      Map.entry("GET /v2/models/:id/autoscale-events", MANAGEMENT),
      Map.entry("PATCH /v2/models/:id", ADMIN),
      Map.entry("PUT /v2/models/:id", ADMIN),
      Map.entry("DELETE /v2/models/:id", ADMIN),
      Map.entry("GET /v2/model-instances", MANAGEMENT),
      Map.entry("GET /v2/model-instances/:id", MANAGEMENT),
      Map.entry("GET /v2/model-instances/:id/logs", ADMIN),
      Map.entry("DELETE /v2/model-instances/:id", ADMIN),
      Map.entry("GET /v2/usage", MANAGEMENT),
      Map.entry("GET /v2/routes", MANAGEMENT),
      Map.entry("POST /v2/routes", ADMIN),
      Map.entry("GET /v2/routes/:id", MANAGEMENT),
      Map.entry("PATCH /v2/routes/:id", ADMIN),
      Map.entry("PUT /v2/routes/:id", ADMIN),
      Map.entry("DELETE /v2/routes/:id", ADMIN),
      Map.entry("GET /v2/providers", ADMIN),
      Map.entry("POST /v2/providers", ADMIN),
      Map.entry("GET /v2/providers/:id", ADMIN),
      Map.entry("PATCH /v2/providers/:id", ADMIN),
      Map.entry("PUT /v2/providers/:id", ADMIN),
      Map.entry("DELETE /v2/providers/:id", ADMIN),
      Map.entry("GET /v1/models", INFERENCE),
      Map.entry("GET /v1/models/*", INFERENCE),
      Map.entry("POST /v1/messages", INFERENCE),
      Map.entry("POST /v1/chat/completions", INFERENCE),
      Map.entry("POST /v1/completions", INFERENCE),
      Map.entry("POST /v1/embeddings", INFERENCE),
      Map.entry("POST /v1/responses", INFERENCE),
      Map.entry("POST /v1/rerank", INFERENCE),
      Map.entry("POST /v1/audio/transcriptions", INFERENCE),
      Map.entry("POST /v1/audio/translations", INFERENCE),
      Map.entry("POST /v1/audio/speech", INFERENCE),
      Map.entry("POST /v1/images/generations", INFERENCE),
      Map.entry("POST /v1/images/edits", INFERENCE),
      Map.entry("POST /internal/engines/:instance/v1/chat/completions", CLUSTER),
      Map.entry("POST /internal/engines/:instance/v1/completions", CLUSTER),
      Map.entry("POST /internal/engines/:instance/v1/embeddings", CLUSTER),
      Map.entry("POST /internal/engines/:instance/v1/rerank", CLUSTER),
      Map.entry("POST /internal/engines/:instance/v1/audio/transcriptions", CLUSTER),
      Map.entry("POST /internal/engines/:instance/v1/audio/translations", CLUSTER),
      Map.entry("POST /internal/engines/:instance/v1/audio/speech", CLUSTER),
      Map.entry("POST /internal/engines/:instance/v1/images/generations", CLUSTER),
      Map.entry("POST /internal/engines/:instance/v1/images/edits", CLUSTER),
      Map.entry("POST /v2/users/me/sign-out", MANAGEMENT),
      Map.entry("POST /v2/users/:id/sign-out", ADMIN),
      Map.entry("DELETE /v2/users/:id/sign-in-failures", ADMIN),
      Map.entry("GET /v2/alerts", ADMIN),
      Map.entry("GET /v2/alert-rules", ADMIN),
      Map.entry("POST /v2/alert-rules", ADMIN),
      Map.entry("GET /v2/alert-rules/:id", ADMIN),
      Map.entry("PATCH /v2/alert-rules/:id", ADMIN),
      Map.entry("DELETE /v2/alert-rules/:id", ADMIN),
      Map.entry("GET /v2/alert-receivers", ADMIN),
      Map.entry("POST /v2/alert-receivers", ADMIN),
      Map.entry("GET /v2/alert-receivers/:id", ADMIN),
      Map.entry("PATCH /v2/alert-receivers/:id", ADMIN),
      Map.entry("DELETE /v2/alert-receivers/:id", ADMIN),
      Map.entry("PATCH /v2/api-keys/:id", ADMIN),
      Map.entry("GET /v2/groups", ADMIN),
      Map.entry("POST /v2/groups", ADMIN),
      Map.entry("GET /v2/groups/:id", ADMIN),
      Map.entry("PATCH /v2/groups/:id", ADMIN),
      Map.entry("DELETE /v2/groups/:id", ADMIN),
      Map.entry("GET /v2/limits", ADMIN),
      Map.entry("GET /v2/limits/:name", ADMIN),
      Map.entry("PUT /v2/limits/:name", ADMIN),
      Map.entry("DELETE /v2/limits/:name", ADMIN),
      Map.entry("GET /v2/worker-pools", ADMIN),
      Map.entry("POST /v2/worker-pools", ADMIN),
      Map.entry("GET /v2/worker-pools/:name", ADMIN),
      Map.entry("PATCH /v2/worker-pools/:name", ADMIN),
      Map.entry("DELETE /v2/worker-pools/:name", ADMIN),
      Map.entry("GET /v2/worker-pools/:name/events", ADMIN),
      Map.entry("GET /*", PUBLIC),
      Map.entry("HEAD /*", PUBLIC)));

  /** The callers every route is tried with. */
  enum Caller {
    ANONYMOUS, USER_SESSION, ADMIN_SESSION, INFERENCE_KEY, MANAGEMENT_KEY, ADMINS_MANAGEMENT_KEY,
    STAR_KEY_ONE_MODEL, OTHER_USERS_KEY, REVOKED_KEY, EXPIRED_KEY, CLUSTER_NODE
  }

  /** What a cell must answer: through to the handler, or refused for want of credentials or of rights. */
  enum Outcome { ALLOWED, UNAUTHENTICATED, FORBIDDEN }

  /** The expectation of a cell, from the route's rule alone. */
  static Outcome expected(Access rule, Caller caller) {
    boolean anonymous = caller == Caller.ANONYMOUS || caller == Caller.REVOKED_KEY || caller == Caller.EXPIRED_KEY
        || caller == Caller.CLUSTER_NODE;
    return switch (rule) {
      case PUBLIC -> Outcome.ALLOWED;
      case CLUSTER -> caller == Caller.CLUSTER_NODE ? Outcome.ALLOWED : Outcome.FORBIDDEN;
      case MANAGEMENT -> anonymous ? Outcome.UNAUTHENTICATED
          : caller == Caller.INFERENCE_KEY ? Outcome.FORBIDDEN : Outcome.ALLOWED;
      case INFERENCE -> anonymous ? Outcome.UNAUTHENTICATED
          : caller == Caller.MANAGEMENT_KEY || caller == Caller.ADMINS_MANAGEMENT_KEY ? Outcome.FORBIDDEN : Outcome.ALLOWED;
      case ADMIN -> anonymous ? Outcome.UNAUTHENTICATED
          : caller == Caller.ADMIN_SESSION || caller == Caller.ADMINS_MANAGEMENT_KEY ? Outcome.ALLOWED : Outcome.FORBIDDEN;
    };
  }

  private static TestNodes nodes;
  private static Path dir;
  private static final Map<Caller, Api> callers = new LinkedHashMap<>();
  private static String aliceName;
  private static String aliceKeyId;
  private static long bobId;
  private static long modelId;
  private static String modelName;
  private static String instanceId;
  private static String routeName;
  private static String providerName;
  private static String benchmarkId;
  private static String tuningRunId;
  private static String receiverId;
  private static long groupId;

  @BeforeAll
  static void setUp() throws Exception {
    nodes = TestNodes.start(1);
    dir = TestFiles.tempDir("gantry-matrix-");
    Api admin = nodes.admin(1);
    String model = unique("matrix");
    modelName = model;
    Path file = Files.writeString(dir.resolve("idle.model"), "not a real model");
    modelId = Api.expect(admin.post("/v2/models", new JsonObject().put("name", model).put("backend", "custom")
        .put("run_command", "sleep 600").put("local_path", file.toString()).put("replicas", 1)
        .put("estimate_override_bytes", 1L << 20)), 201).getLong("id");
    providerName = unique("prov");
    Api.expect(admin.post("/v2/providers", new JsonObject().put("name", providerName).put("kind", "openai")
        .put("base_url", "http://127.0.0.1:9/v1").put("models", new io.vertx.core.json.JsonArray().add("m"))), 201);
    routeName = unique("route");
    Api.expect(admin.post("/v2/routes", new JsonObject().put("name", routeName).put("targets",
        new io.vertx.core.json.JsonArray().add(new JsonObject().put("model", model)))), 201);
    receiverId = Api.expect(admin.post("/v2/alert-receivers", new JsonObject().put("name", unique("hook"))
        .put("url", "http://127.0.0.1:9/never")), 201).getString("id");
    Api.expect(admin.post("/v2/worker-pools", new JsonObject().put("name", "matrix-pool").put("provider", "digitalocean")
        .put("endpoint", "http://127.0.0.1:1").put("credentials", new JsonObject().put("token", "t"))
        .put("region", "nyc3").put("image", "img").put("instance_types", new JsonArray()
            .add(new JsonObject().put("name", "s-1vcpu-1gb")))), 201);
    aliceName = unique("alice");
    admin.createUser(aliceName, "alice-password", "user");
    String bob = unique("bob");
    bobId = admin.createUser(bob, "bob-password", "user").getLong("id");
    groupId = Api.expect(admin.post("/v2/groups", new JsonObject().put("name", unique("group"))), 201).getLong("id");
    Api.expect(admin.send("PUT", "/v2/limits/" + model, "application/json", new JsonObject().put("limits",
        new JsonObject().put("requests_per_minute", 100000)).toBuffer().getBytes()), 200);
    Api alice = nodes.api(1).login(aliceName, "alice-password");
    JsonObject inference = alice.createKey(new JsonObject().put("name", unique("inf")).put("scope", "inference"));
    aliceKeyId = inference.getString("id");
    JsonObject revoked = alice.createKey(new JsonObject().put("name", unique("rev")).put("scope", "*"));
    Api.expect(alice.delete("/v2/api-keys/" + revoked.getString("id")), 204);
    JsonObject expired = alice.createKey(new JsonObject().put("name", unique("exp")).put("scope", "*").put("expires_in", 1));

    Api anonymous = nodes.api(1);
    callers.put(Caller.ANONYMOUS, anonymous);
    callers.put(Caller.USER_SESSION, alice);
    callers.put(Caller.ADMIN_SESSION, admin);
    callers.put(Caller.INFERENCE_KEY, anonymous.withKey(inference.getString("value")));
    callers.put(Caller.MANAGEMENT_KEY, anonymous.withKey(alice.createKey(unique("mgmt"), "management").getString("value")));
    callers.put(Caller.ADMINS_MANAGEMENT_KEY, anonymous.withKey(admin.createKey(unique("adm"), "management").getString("value")));
    callers.put(Caller.STAR_KEY_ONE_MODEL, anonymous.withKey(alice.createKey(new JsonObject().put("name", unique("one"))
        .put("scope", "*").put("allowed_models", new JsonArray().add(model))).getString("value")));
    callers.put(Caller.OTHER_USERS_KEY, anonymous.withKey(nodes.api(1).login(bob, "bob-password")
        .createKey(unique("bob"), "*").getString("value")));
    callers.put(Caller.REVOKED_KEY, anonymous.withKey(revoked.getString("value")));
    callers.put(Caller.EXPIRED_KEY, anonymous.withKey(expired.getString("value")));
    callers.put(Caller.CLUSTER_NODE, anonymous);

    Eventually.await(Duration.ofSeconds(10), () -> assertThat(callers.get(Caller.EXPIRED_KEY).get("/v2/users/me").status())
        .isEqualTo(401));
    Eventually.await(Duration.ofSeconds(30), () -> {
      List<Object> instances = Api.expect(admin.get("/v2/model-instances?model_name=" + model), 200)
          .getJsonArray("items").getList();
      assertThat(instances).hasSize(1);
      assertThat(((JsonObject) Api.expect(admin.get("/v2/model-instances?model_name=" + model), 200)
          .getJsonArray("items").getValue(0)).getString("node_name")).isNotNull();
    });
    instanceId = Api.expect(admin.get("/v2/model-instances?model_name=" + model), 200).getJsonArray("items")
        .getJsonObject(0).getString("id");
    String demo = unique("bench");
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", demo).put("source", "builtin")
        .put("builtin_model", "gantry-tiny-chat")), 201);
    Eventually.await(Duration.ofSeconds(60), () -> assertThat(Api.expect(admin.get("/v2/model-instances?model_name=" + demo), 200)
        .getJsonArray("items").stream().map(i -> ((JsonObject) i).getString("state"))).contains("running"));
    benchmarkId = Api.expect(admin.post("/v2/benchmarks", new JsonObject().put("model", demo)
        .put("profile", new JsonObject().put("requests", 1))), 202).getString("id");
    Eventually.await(Duration.ofSeconds(30), () -> assertThat(Api.expect(admin.get("/v2/benchmarks/" + benchmarkId), 200)
        .getString("state")).isEqualTo("completed"));
    tuningRunId = Api.expect(admin.post("/v2/tuning-runs", new JsonObject().put("family", unique("tuning"))
        .put("model", new JsonObject().put("source", "builtin").put("builtin_model", "gantry-tiny-chat").put("backend", "builtin"))
        .put("grid", new JsonObject().put("replicas", new JsonArray().add(1)))
        .put("profile", new JsonObject().put("requests", 1))), 202).getString("id");
    Eventually.await(Duration.ofSeconds(90), () -> assertThat(Api.expect(admin.get("/v2/tuning-runs/" + tuningRunId), 200)
        .getString("state")).isEqualTo("completed"));
  }

  @AfterAll
  static void tearDown() {
    if (nodes != null) {
      nodes.close();
    }
    if (dir != null) {
      TestFiles.deleteRecursively(dir);
    }
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** How the {@code CLUSTER} rule refuses a caller that is not a node of this cluster. */
  private static final String CLUSTER_REFUSAL = "only the nodes of this cluster may call";

  /** Reads that answer 404 on a node without single sign-on configured, whoever asks. */
  private static final Set<String> NOT_CONFIGURED_HERE = Set.of("GET /auth/oidc/login");

  /** {@code "METHOD path"} (a prefix route ends in {@code *}) for each method of each addressed route, with the rule it declared (null: none). */
  private static Map<String, Access> declared() {
    Map<String, Access> out = new TreeMap<>();
    for (Route route : nodes.node(1).routeTable()) {
      if (route.getPath() == null && !route.isRegexPath()) {
        continue;
      }
      assertThat(route.methods()).as("route %s lists its methods", route.getPath()).isNotEmpty();
      for (HttpMethod method : route.methods()) {
        out.put(method.name() + " " + route.getPath() + (route.isExactPath() ? "" : "*"), Access.of(route));
      }
    }
    return out;
  }

  @Test
  @DisplayName("every route of the router declares the rule this test expects, and no other route exists")
  void everyRouteDeclaresTheExpectedRule() {
    Map<String, Access> declared = declared();

    assertThat(declared.keySet()).as("routes of the router; a new one needs a line in EXPECTED")
        .containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
    assertThat(declared).containsExactlyInAnyOrderEntriesOf(EXPECTED);
  }

  @Test
  @DisplayName("each route answers each caller as its rule says, and no cell answers 5xx")
  void everyCellAnswersAsTheRuleSays() {
    List<String> wrong = new ArrayList<>();
    int cells = 0;
    for (Map.Entry<String, Access> route : declared().entrySet()) {
      String method = route.getKey().split(" ", 2)[0];
      String template = route.getKey().split(" ", 2)[1];
      Access rule = EXPECTED.getOrDefault(route.getKey(), route.getValue());
      for (Caller caller : Caller.values()) {
        Response response = call(caller, method, template);
        cells++;
        String problem = judge(route.getKey(), caller, expected(rule, caller), response);
        if (problem != null) {
          wrong.add(route.getKey() + " as " + caller + ": " + problem);
        }
        boolean signedOut = "/auth/logout".equals(template) || "/v2/users/me/sign-out".equals(template);
        if (signedOut && response.status() == 204) {
          // a key's "sign me out everywhere" ends its owner's sessions too
          signInAgain(Caller.USER_SESSION);
          signInAgain(Caller.ADMIN_SESSION);
        }
      }
    }
    assertThat(wrong).as("cells that answered against their route's rule").isEmpty();
    assertThat(cells).isEqualTo(EXPECTED.size() * Caller.values().length);
  }

  private static String judge(String route, Caller caller, Outcome outcome, Response response) {
    int status = response.status();
    if (status >= 500) {
      return "server error " + response;
    }
    return switch (outcome) {
      case UNAUTHENTICATED -> status == 401 ? null : "expected 401, got " + response;
      case FORBIDDEN -> status == 403 ? null : "expected 403, got " + response;
      case ALLOWED -> {
        if (caller == Caller.CLUSTER_NODE) {
          // past the rule, a route for other nodes may still check its own signature (e.g. the engine relay's)
          yield response.body().contains(CLUSTER_REFUSAL) ? "refused by the cluster rule: " + response : null;
        }
        if (status == 401 || status == 403) {
          yield "expected to be let through, got " + response;
        }
        boolean othersKey = caller == Caller.OTHER_USERS_KEY && route.contains("/v2/api-keys/:id");
        if (othersKey) {
          yield status == 404 ? null : "another user's key must not exist for this caller (404), got " + response;
        }
        boolean read = route.startsWith("GET ") && !NOT_CONFIGURED_HERE.contains(route);
        yield read && caller != Caller.CLUSTER_NODE && status >= 400 ? "expected a read to succeed, got " + response : null;
      }
    };
  }

  private static Response call(Caller caller, String method, String template) {
    String path = fill(template, method.equals("DELETE") && caller != Caller.OTHER_USERS_KEY);
    Api api = caller == Caller.CLUSTER_NODE
        ? callers.get(caller).withHeader(ClusterCaller.HEADER, ClusterCaller.sign(ClusterSecret.of(nodes.clusterSecret),
            method, path, Instant.now().getEpochSecond()))
        : callers.get(caller);
    boolean body = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    return api.send(method, path, body ? "application/json" : null, body ? "{}".getBytes() : null);
  }

  /** Real ids for reads and writes; ids that do not exist for deletes, so a permitted delete changes nothing. */
  private static String fill(String template, boolean harmless) {
    String id = template.startsWith("/v2/users/") ? String.valueOf(harmless ? 987654321L : bobId)
        : template.startsWith("/v2/api-keys/") ? (harmless ? "nosuchkey000" : aliceKeyId)
        : template.startsWith("/v2/models/") ? String.valueOf(harmless ? 987654321L : modelId)
        : template.startsWith("/v2/model-instances/") ? (harmless ? "no-such-instance" : instanceId)
        : template.startsWith("/v2/nodes/") || template.startsWith("/v2/metrics/nodes/") ? (harmless ? "no-such-node" : nodes.name(1))
        : template.startsWith("/v2/metrics/models/") ? (harmless ? "no-such-model" : modelName)
        : template.startsWith("/v2/routes/") ? (harmless ? "no-such-route" : routeName)
        : template.startsWith("/v2/providers/") ? (harmless ? "no-such-provider" : providerName)
        : template.startsWith("/v2/benchmarks/") ? (harmless ? "no-such-benchmark" : benchmarkId)
        : template.startsWith("/v2/tuning-runs/") ? (harmless ? "no-such-run" : tuningRunId)
        : template.startsWith("/v2/worker-pools/") ? (harmless ? "no-such-pool" : "matrix-pool")
        : template.startsWith("/v1/models/") ? modelName
        : template.startsWith("/v2/alert-rules/") ? (harmless ? "no-such-rule" : "replica-error")
        : template.startsWith("/v2/alert-receivers/") ? (harmless ? "no-such-receiver" : receiverId)
        : template.startsWith("/v2/groups/") ? String.valueOf(harmless ? 987654321L : groupId)
        : template.startsWith("/v2/limits/") ? (harmless ? "no-such-name" : modelName)
        : null;
    if (template.equals("/v1/models/*")) {
      return "/v1/models/" + modelName;  // the rest of the path is the id (a provider's model has a slash in it)
    }
    String path = template.replace("/*", "/");
    return id == null ? path : path.replaceAll(":(id|name)", id);
  }

  private static void signInAgain(Caller caller) {
    if (caller == Caller.USER_SESSION) {
      callers.put(caller, nodes.api(1).login(aliceName, "alice-password"));
    } else if (caller == Caller.ADMIN_SESSION) {
      callers.put(caller, nodes.admin(1));
    }
  }
}
