package dev.gantry.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestNodes;
import dev.gantry.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Routes and providers are served from cluster state: with PostgreSQL stopped, a route to a provider still answers. */
class RoutingWithoutDatabaseTest {

  private static TestPostgres postgres;
  private static TestNodes nodes;
  private static Vertx vertx;
  private static HttpServer provider;
  private static final AtomicInteger calls = new AtomicInteger();

  @BeforeAll
  static void start() {
    postgres = TestPostgres.start();
    nodes = TestNodes.start(1, postgres.url("postgres"), "no-db-routing");
    vertx = Vertx.vertx();
    provider = vertx.createHttpServer().requestHandler(request -> {
      calls.incrementAndGet();
      request.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("id", "c")
          .put("object", "chat.completion").put("choices", new JsonArray().add(new JsonObject().put("index", 0)
              .put("finish_reason", "stop").put("message", new JsonObject().put("role", "assistant")
                  .put("content", "served without a database")))).encode());
    }).listen(0, "127.0.0.1").await();
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
    if (nodes != null) {
      nodes.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void aRouteToAProviderKeepsAnsweringWhilePostgresqlIsDown() {
    Api admin = nodes.admin(1);
    Api.expect(admin.post("/v2/providers", new JsonObject().put("name", "outside").put("kind", "openai")
        .put("base_url", "http://127.0.0.1:" + provider.actualPort() + "/v1").put("credentials", new JsonArray().add("k"))
        .put("models", new JsonArray().add("m"))), 201);
    Api.expect(admin.post("/v2/routes", new JsonObject().put("name", "steady").put("targets", new JsonArray()
        .add(new JsonObject().put("model", new JsonObject().put("provider", "outside").put("model", "m"))))), 201);
    Api caller = admin.withKey(admin.createKey("no-db", "inference").getString("value"));
    JsonObject chat = new JsonObject().put("model", "steady")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));

    postgres.stop();
    Eventually.await(Duration.ofSeconds(15), () -> assertThat(admin.get("/v2/routes").status()).isEqualTo(503));
    for (int i = 0; i < 5; i++) {
      Api.Response answer = caller.post("/v1/chat/completions", chat);
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).contains("served without a database");
    }
    assertThat(calls.get()).isEqualTo(5);
    assertThat(caller.get("/v1/models").body()).contains("\"steady\"", "\"outside/m\"");
    assertThat(Api.expect(caller.get("/v1/models/steady"), 200).getString("id")).isEqualTo("steady");
    for (String path : List.of("/v1/models/outside/m", "/v1/models/outside%2Fm")) {
      JsonObject described = Api.expect(caller.get(path), 200);
      assertThat(described.getString("id")).as(path).isEqualTo("outside/m");
      assertThat(described.getString("owned_by")).as("the provider's model, by its provider").isEqualTo("outside");
    }
    assertThat(caller.get("/v1/models/outside/nothing").status()).isEqualTo(404);
  }
}
