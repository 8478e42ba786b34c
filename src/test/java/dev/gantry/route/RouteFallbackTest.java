package dev.gantry.route;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hazelcast.core.HazelcastInstance;
import dev.gantry.cluster.ClusterMaps;
import dev.gantry.testing.Api;
import dev.gantry.testing.ChatLoad;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Routes and providers end to end, between two separate Gantry clusters: the "backup" cluster serves a
 * builtin chat model and is registered in the "primary" cluster as an {@code openai} provider with its own
 * API key. A route over the primary's own model falls back to that provider when the primary replica's
 * engine is killed under load; a provider that hangs is cut at its timeout and its credential's circuit
 * opens; credentials never show in API answers, logs or the cluster map.
 */
class RouteFallbackTest {

  private static final String REPLY = "Hello from Gantry!";
  private static final String BACKUP_SECRET_MARK = "backup-provider-credential";
  private static TestNodes primary;
  private static TestNodes backup;
  private static Api admin;
  private static String backupKey;
  private static Vertx hangingVertx;
  private static HttpServer hanging;
  private static final AtomicInteger hangingRequests = new AtomicInteger();
  private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private static HttpServer recording;
  private static final Queue<JsonObject> recorded = new ConcurrentLinkedQueue<>();

  @BeforeAll
  static void start() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    logs.start();
    primary = TestNodes.start(1);
    backup = TestNodes.start(1);
    admin = primary.admin(1);
    Api backupAdmin = backup.admin(1);
    deploy(backupAdmin, "backup-chat");
    deploy(admin, "primary-chat");
    backupKey = backupAdmin.createKey(BACKUP_SECRET_MARK, "inference").getString("value");
    awaitRunning(backupAdmin, "backup-chat");
    awaitRunning(admin, "primary-chat");
    hangingVertx = Vertx.vertx();
    hanging = hangingVertx.createHttpServer().requestHandler(request -> hangingRequests.incrementAndGet())
        .listen(0, "127.0.0.1").await();
    recording = hangingVertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      JsonObject headers = new JsonObject();
      request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
      recorded.add(new JsonObject().put("uri", request.uri()).put("headers", headers).put("body", new JsonObject(body)));
      boolean messages = request.path().endsWith("/v1/messages");
      request.response().putHeader("Content-Type", "application/json").end(messages
          ? new JsonObject().put("id", "msg_1").put("type", "message").put("role", "assistant")
              .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "from anthropic")))
              .put("stop_reason", "end_turn").encode()
          : new JsonObject().put("id", "c1").put("object", "chat.completion").put("choices", new JsonArray()
              .add(new JsonObject().put("index", 0).put("finish_reason", "stop").put("message",
                  new JsonObject().put("role", "assistant").put("content", "recorded " + request.path())))).encode());
    })).listen(0, "127.0.0.1").await();
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    if (hangingVertx != null) {
      hangingVertx.close().await();
    }
    if (primary != null) {
      primary.close();
    }
    if (backup != null) {
      backup.close();
    }
  }

  @Test
  void aRouteKeepsAnsweringThroughItsProviderFallbackWhenThePrimaryReplicaIsKilledUnderLoad() throws Exception {
    Api backupAdmin = backup.admin(1);
    JsonObject ownKey = backupAdmin.createKey("kill-test-provider-key", "inference");
    Api.expect(admin.post("/v2/providers", provider("backup", backup.url(1) + "/v1", ownKey.getString("value"),
        "backup-chat")), 201);
    Api.expect(admin.post("/v2/routes", new JsonObject().put("name", "chat")
        .put("targets", new JsonArray().add(new JsonObject().put("model", "primary-chat").put("weight", 1)))
        .put("fallbacks", new JsonArray().add(new JsonObject()
            .put("model", new JsonObject().put("provider", "backup").put("model", "backup-chat"))))), 201);
    String key = admin.createKey("route-load", "inference").getString("value");
    assertThat(ChatLoad.chat(primary.url(1), key, "chat", REPLY)).isNull();
    assertThat(ChatLoad.chat(primary.url(1), key, "backup/backup-chat", REPLY)).as("a provider model by its name").isNull();
    List<String> listed = Api.expect(admin.withKey(key).get("/v1/models"), 200).getJsonArray("data").stream()
        .map(m -> ((JsonObject) m).getString("id")).toList();
    assertThat(listed).contains("primary-chat", "chat", "backup/backup-chat");

    String keyId = ownKey.getString("id");
    Eventually.await(Duration.ofSeconds(20), () -> assertThat(backupServed(backupAdmin, keyId)).isEqualTo(1));
    TimedLoad load = new TimedLoad(primary.url(1), key, "chat", 3);
    load.awaitServed(10);
    JsonObject instance = instances(admin, "primary-chat").getJsonObject(0);
    ProcessHandle engine = ProcessHandle.of(instance.getLong("pid")).orElseThrow();
    engine.descendants().forEach(ProcessHandle::destroyForcibly);
    engine.destroyForcibly();
    Eventually.await(Duration.ofSeconds(10), () -> assertThat(engine.isAlive()).isFalse());
    long killObserved = System.nanoTime();
    load.awaitServed(30);
    List<Failure> failures = load.stop();
    List<Failure> afterKill = failures.stream().filter(f -> f.startedNanos() > killObserved).toList();
    System.out.printf("route fallback: %d served, %d failed (%d started after the kill was observed)%n",
        load.served.get(), failures.size(), afterKill.size());
    assertThat(afterKill).as("failed requests started after the kill").isEmpty();
    Eventually.await(Duration.ofSeconds(20), () -> assertThat(backupServed(backupAdmin, keyId))
        .as("requests the backup cluster served through the route's fallback").isGreaterThan(1));
  }

  /** Requests the backup cluster served with the given key of its own (this test's provider credential). */
  private static long backupServed(Api backupAdmin, String keyId) {
    return Api.expect(backupAdmin.get("/v2/usage?group_by=key"), 200).getJsonArray("items").stream()
        .map(JsonObject.class::cast).filter(row -> keyId.equals(row.getString("api_key_id")))
        .mapToLong(row -> row.getLong("succeeded_count")).sum();
  }

  @Test
  void aHangingProviderIsCutAtItsTimeoutAndItsCredentialsCircuitOpens() {
    String url = "http://127.0.0.1:" + hanging.actualPort() + "/v1";
    Api.expect(admin.post("/v2/providers", provider("hang", url, "hang-secret-credential", "slow")
        .put("timeout_ms", 500).put("failure_threshold", 1).put("cool_down_ms", 600_000)), 201);
    String key = admin.createKey("hang-caller", "inference").getString("value");
    int before = hangingRequests.get();
    long started = System.nanoTime();
    Api.Response cut = admin.withKey(key).post("/v1/chat/completions", chat("hang/slow"));
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(cut.status()).as(cut.body()).isEqualTo(502);
    assertThat(cut.body()).contains("provider 'hang'").doesNotContain("hang-secret-credential");
    assertThat(tookMs).as("cut at its timeout, not left hanging").isLessThan(20_000);
    Eventually.await(Duration.ofSeconds(5), () -> assertThat(hangingRequests.get()).isEqualTo(before + 1));

    Api.Response open = admin.withKey(key).post("/v1/chat/completions", chat("hang/slow"));
    assertThat(open.status()).as(open.body()).isEqualTo(503);
    assertThat(open.body()).contains("circuit is open");
    assertThat(hangingRequests.get()).as("an open circuit sends nothing").isEqualTo(before + 1);

    Api.expect(admin.post("/v2/routes", new JsonObject().put("name", "dead-end")
        .put("targets", new JsonArray().add(new JsonObject().put("model", new JsonObject().put("provider", "hang")
            .put("model", "slow"))))), 201);
    Api.Response down = admin.withKey(key).post("/v1/chat/completions", chat("dead-end"));
    assertThat(down.status()).as(down.body()).isEqualTo(503);
    assertThat(down.body()).contains("route 'dead-end'", "hang/slow").doesNotContain("hang-secret-credential");
  }

  @Test
  void aTargetThatSendsNoAnswerHeadWithinTheRoutesFirstByteTimeoutGivesWayToTheFallback() {
    String url = "http://127.0.0.1:" + hanging.actualPort() + "/v1";
    Api.expect(admin.post("/v2/providers", provider("slow-head", url, "slow-head-key", "slow")), 201);
    Api.expect(admin.post("/v2/providers", provider("backup-b", backup.url(1) + "/v1", backupKey, "backup-chat")), 201);
    Api.expect(admin.post("/v2/routes", new JsonObject().put("name", "impatient")
        .put("targets", new JsonArray().add(new JsonObject().put("model", new JsonObject().put("provider", "slow-head")
            .put("model", "slow"))))
        .put("fallbacks", new JsonArray().add(new JsonObject().put("model", new JsonObject().put("provider", "backup-b")
            .put("model", "backup-chat"))))
        .put("fallback_on", new JsonObject().put("first_byte_timeout_ms", 300))), 201);
    String key = admin.createKey("impatient", "inference").getString("value");
    int before = hangingRequests.get();

    assertThat(ChatLoad.chat(primary.url(1), key, "impatient", REPLY)).as("answered by the fallback").isNull();
    Eventually.await(Duration.ofSeconds(5), () -> assertThat(hangingRequests.get()).as("the first target was tried")
        .isEqualTo(before + 1));
    JsonObject route = Api.expect(admin.get("/v2/routes/impatient"), 200);
    assertThat(route.getJsonObject("fallback_on").getLong("first_byte_timeout_ms")).isEqualTo(300L);
    assertThat(route.getJsonObject("fallback_on").getBoolean("connect_error")).isTrue();
  }

  @Test
  void credentialsNeverShowInAnswersLogsOrTheClusterMap() {
    Api.expect(admin.post("/v2/providers", provider("sealed", "https://api.example.invalid/v1",
        "sk-very-secret-value-123", "m1")), 201);
    JsonObject one = Api.expect(admin.get("/v2/providers/sealed"), 200);
    assertThat(one.getInteger("credential_count")).isEqualTo(1);
    assertThat(one.getJsonArray("credential_fingerprints")).hasSize(1);
    String list = admin.get("/v2/providers").body();
    JsonObject patched = Api.expect(admin.patch("/v2/providers/sealed", new JsonObject().put("timeout_ms", 1000)), 200);
    for (String shown : List.of(one.encode(), list, patched.encode())) {
      assertThat(shown).doesNotContain("sk-very-secret-value-123", "credentials_sealed", "v1.");
    }
    assertThat(admin.post("/v2/routes", new JsonObject().put("name", "primary-chat").put("targets",
        new JsonArray().add(new JsonObject().put("model", "primary-chat")))).status()).as("a model's name").isEqualTo(409);
    Api.Response unknown = admin.post("/v2/routes", new JsonObject().put("name", "r-unknown").put("targets",
        new JsonArray().add(new JsonObject().put("model", new JsonObject().put("provider", "nobody").put("model", "m")))));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body()).contains("targets[0].model.provider");
    assertThat(admin.post("/v2/routes", new JsonObject().put("name", "r-neg").put("targets", new JsonArray()
        .add(new JsonObject().put("model", "primary-chat").put("weight", -1)))).body()).contains("weight");

    HazelcastInstance hazelcast = ((HazelcastClusterManager) ((VertxInternal) primary.node(1).vertx()).clusterManager())
        .getHazelcastInstance();
    Map<String, String> providers = Map.copyOf(hazelcast.<String, String>getMap(ClusterMaps.PROVIDERS));
    assertThat(providers).containsKey("sealed");
    assertThat(providers.values()).allSatisfy(value -> assertThat(value)
        .doesNotContain("sk-very-secret-value-123", "hang-secret-credential", backupKey == null ? "-" : backupKey));
    assertThat(new JsonObject(providers.get("sealed")).getJsonArray("credentials_sealed").getString(0)).startsWith("v1.");
    assertThat(logs.list).allSatisfy(event -> assertThat(event.getFormattedMessage())
        .doesNotContain("sk-very-secret-value-123", "hang-secret-credential"));
  }

  @Test
  void eachProviderKindIsCalledInItsOwnWireFormatWithItsCredentialsInTurn() {
    String base = "http://127.0.0.1:" + recording.actualPort();
    Api.expect(admin.post("/v2/providers", provider("rec-openai", base + "/v1", "k-openai-1", "gpt-x")
        .put("credentials", new JsonArray().add("k-openai-1").add("k-openai-2"))
        .put("headers", new JsonObject().put("X-Org", "o1"))), 201);
    Api.expect(admin.post("/v2/providers", provider("rec-azure", base, "k-azure", "dep1").put("kind", "azure")
        .put("api_version", "2024-10-21")), 201);
    Api.expect(admin.post("/v2/providers", provider("rec-anthropic", base, "k-anthropic", "claude-x")
        .put("kind", "anthropic")), 201);
    String key = admin.createKey("wire", "inference").getString("value");
    Api caller = admin.withKey(key);
    recorded.clear();

    for (int i = 0; i < 2; i++) {
      Api.Response openai = caller.post("/v1/chat/completions", chat("rec-openai/gpt-x"));
      assertThat(openai.status()).as(openai.body()).isEqualTo(200);
      assertThat(openai.body()).contains("recorded /v1/chat/completions");
    }
    Api.expect(caller.post("/v1/chat/completions", chat("rec-azure/dep1")), 200);
    JsonObject anthropicBody = new JsonObject().put("model", "rec-anthropic/claude-x").put("max_tokens", 16)
        .put("system", "be brief").put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));
    Api.Response messages = caller.post("/v1/messages", anthropicBody);
    assertThat(messages.status()).as(messages.body()).isEqualTo(200);
    assertThat(messages.json().getJsonArray("content").getJsonObject(0).getString("text")).isEqualTo("from anthropic");
    Api.Response converted = caller.post("/v1/chat/completions", chat("rec-anthropic/claude-x"));
    assertThat(converted.status()).as(converted.body()).isEqualTo(200);
    assertThat(converted.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
        .as("chat converted to Messages and back").isEqualTo("from anthropic");

    List<JsonObject> calls = List.copyOf(recorded);
    assertThat(calls).hasSize(5);
    assertThat(calls.get(4).getString("uri")).isEqualTo("/v1/messages");
    assertThat(calls.get(4).getJsonObject("body").getString("model")).isEqualTo("claude-x");
    assertThat(calls.get(0).getString("uri")).isEqualTo("/v1/chat/completions");
    assertThat(calls.get(0).getJsonObject("body").getString("model")).isEqualTo("gpt-x");
    assertThat(calls.get(0).getJsonObject("headers").getString("x-org")).isEqualTo("o1");
    assertThat(List.of(calls.get(0).getJsonObject("headers").getString("authorization"),
        calls.get(1).getJsonObject("headers").getString("authorization")))
        .as("credentials in turn").containsExactlyInAnyOrder("Bearer k-openai-1", "Bearer k-openai-2");
    assertThat(calls.get(2).getString("uri")).isEqualTo("/openai/deployments/dep1/chat/completions?api-version=2024-10-21");
    assertThat(calls.get(2).getJsonObject("headers").getString("api-key")).isEqualTo("k-azure");
    assertThat(calls.get(2).getJsonObject("headers").containsKey("authorization")).isFalse();
    assertThat(calls.get(3).getString("uri")).isEqualTo("/v1/messages");
    assertThat(calls.get(3).getJsonObject("headers").getString("x-api-key")).isEqualTo("k-anthropic");
    assertThat(calls.get(3).getJsonObject("headers").getString("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(calls.get(3).getJsonObject("body")).as("passed through as sent, model named for the provider")
        .isEqualTo(anthropicBody.copy().put("model", "claude-x"));
  }

  @Test
  void otherProtocolsFollowARouteToAProviderAndWhatCannotBeConvertedIsRefused() {
    String base = "http://127.0.0.1:" + recording.actualPort();
    Api.expect(admin.post("/v2/providers", provider("proto-openai", base + "/v1", "k-proto", "gpt-y")), 201);
    Api.expect(admin.post("/v2/providers", provider("proto-anthropic", base, "k-proto-a", "claude-y")
        .put("kind", "anthropic")), 201);
    Api.expect(admin.post("/v2/routes", new JsonObject().put("name", "proto-route").put("targets", new JsonArray()
        .add(new JsonObject().put("model", new JsonObject().put("provider", "proto-openai").put("model", "gpt-y"))))), 201);
    Api caller = admin.withKey(admin.createKey("protocols", "inference").getString("value"));
    recorded.clear();

    Api.Response responses = caller.post("/v1/responses", new JsonObject().put("model", "proto-route").put("input", "Hi"));
    assertThat(responses.status()).as(responses.body()).isEqualTo(200);
    assertThat(responses.json().getString("object")).isEqualTo("response");
    assertThat(responses.json().getString("model")).isEqualTo("proto-route");
    assertThat(responses.json().getJsonArray("output").getJsonObject(0).getJsonArray("content").getJsonObject(0)
        .getString("text")).isEqualTo("recorded /v1/chat/completions");
    Api.Response messages = caller.post("/v1/messages", new JsonObject().put("model", "proto-route").put("max_tokens", 8)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi"))));
    assertThat(messages.status()).as(messages.body()).isEqualTo(200);
    assertThat(messages.json().getJsonArray("content").getJsonObject(0).getString("text"))
        .isEqualTo("recorded /v1/chat/completions");
    List<JsonObject> calls = List.copyOf(recorded);
    assertThat(calls).hasSize(2).allSatisfy(call -> {
      assertThat(call.getString("uri")).isEqualTo("/v1/chat/completions");
      assertThat(call.getJsonObject("body").getString("model")).isEqualTo("gpt-y");
      assertThat(call.getJsonObject("body").getJsonArray("messages")).isNotEmpty();
    });

    Api.Response toAnthropic = caller.post("/v1/embeddings", new JsonObject().put("model", "proto-anthropic/claude-y")
        .put("input", "Hi"));
    assertThat(toAnthropic.status()).as(toAnthropic.body()).isEqualTo(400);
    assertThat(toAnthropic.json().getJsonObject("error").getString("code")).isEqualTo("unsupported_endpoint");
    assertThat(toAnthropic.body()).contains("/v1/embeddings", "Anthropic");
    assertThat(recorded).as("nothing refused reached a provider").hasSize(2);
  }

  private static JsonObject provider(String name, String baseUrl, String credential, String model) {
    return new JsonObject().put("name", name).put("kind", "openai").put("base_url", baseUrl)
        .put("credentials", new JsonArray().add(credential)).put("models", new JsonArray().add(model));
  }

  private static JsonObject chat(String model) {
    return new JsonObject().put("model", model)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));
  }

  private static void deploy(Api api, String name) {
    Api.expect(api.post("/v2/models", new JsonObject().put("name", name).put("source", "builtin")
        .put("builtin_model", "gantry-tiny-chat")), 201);
  }

  private static JsonArray instances(Api api, String model) {
    return Api.expect(api.get("/v2/model-instances?model_name=" + model), 200).getJsonArray("items");
  }

  private static void awaitRunning(Api api, String model) {
    Eventually.await(Duration.ofSeconds(120), () -> assertThat(instances(api, model)).singleElement()
        .satisfies(i -> assertThat(((JsonObject) i).getString("state")).isEqualTo("running")));
  }

  private record Failure(long startedNanos, String what) {
  }

  /** Chat requests back to back, each failure kept with the time its request started. */
  private static final class TimedLoad {
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicInteger served = new AtomicInteger();
    final Queue<Failure> failures = new ConcurrentLinkedQueue<>();
    final List<CompletableFuture<?>> clients = new ArrayList<>();

    TimedLoad(String url, String key, String model, int count) {
      for (int c = 0; c < count; c++) {
        clients.add(CompletableFuture.runAsync(() -> {
          while (running.get()) {
            long started = System.nanoTime();
            String failure = ChatLoad.chat(url, key, model, REPLY);
            if (failure == null) {
              served.incrementAndGet();
            } else {
              failures.add(new Failure(started, failure));
            }
          }
        }));
      }
    }

    void awaitServed(int more) {
      int from = served.get();
      Eventually.await(Duration.ofSeconds(60), () -> assertThat(served.get()).isGreaterThanOrEqualTo(from + more));
    }

    List<Failure> stop() throws Exception {
      running.set(false);
      CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      return List.copyOf(failures);
    }
  }
}
