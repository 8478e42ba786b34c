package dev.gantry.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Api.Response;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestNodes;
import dev.gantry.testing.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The database going away while a node runs")
class DatabaseOutageTest {

  private static TestPostgres postgres;
  private static TestNodes nodes;

  @BeforeAll
  static void startNodeOnItsOwnDatabase() {
    postgres = TestPostgres.start();
    nodes = TestNodes.start(1, postgres.url("postgres"), "outage");
  }

  @AfterAll
  static void stopAll() {
    if (nodes != null) {
      nodes.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  @DisplayName("stopping PostgreSQL makes the node unready and database calls 503, while cluster-served calls keep working; "
      + "it recovers by itself when PostgreSQL is back")
  void survivesAnOutage() {
    Api session = nodes.admin(1);
    Api key = nodes.api(1).withKey(session.createKey("outage-key", "management").getString("value"));
    assertThat(nodes.api(1).get("/health/ready").status()).isEqualTo(200);

    postgres.stop();
    try {
      Eventually.await(Duration.ofSeconds(10), () -> assertThat(nodes.api(1).get("/health/ready").status()).isEqualTo(503));
      JsonObject ready = nodes.api(1).get("/health/ready").json();
      assertThat(ready.getString("status")).isEqualTo("DOWN");
      assertThat(ready.getJsonObject("checks").getJsonObject("database").getString("status")).isEqualTo("DOWN");
      assertThat(ready.getJsonObject("checks").getJsonObject("database").getString("message")).containsIgnoringCase("database");
      assertThat(ready.getJsonObject("checks").getJsonObject("cluster").getString("status")).isEqualTo("UP");

      Response users = session.get("/v2/users");
      assertThat(users.status()).isEqualTo(503);
      assertThat(users.json().getString("reason")).isEqualTo("ServiceUnavailable");
      assertThat(users.json().getString("message")).contains("database");
      assertThat(key.post("/v2/api-keys", new JsonObject().put("name", "during-outage").put("scope", "management")).status()).isEqualTo(503);

      assertThat(nodes.api(1).get("/health/live").status()).isEqualTo(200);
      Response nodesBySession = session.get("/v2/nodes");
      assertThat(nodesBySession.status()).isEqualTo(200);
      assertThat(nodesBySession.items().getJsonObject(0).getString("name")).isEqualTo(nodes.name(1));
      assertThat(key.get("/v2/nodes").status()).isEqualTo(200);
      Response me = key.get("/v2/users/me");
      assertThat(me.status()).as("the key is accepted (from the cluster); reading the user needs the database")
          .isEqualTo(503);
      assertThat(me.json().getString("message")).contains("database");
      Eventually.await(Duration.ofSeconds(10), () -> assertThat(session.get("/v2/nodes/" + nodes.name(1)).json()
          .getString("state")).isEqualTo("not_ready"));
    } finally {
      postgres.restart();
    }

    Eventually.await(Duration.ofSeconds(15), () -> assertThat(nodes.api(1).get("/health/ready").status()).isEqualTo(200));
    Eventually.await(Duration.ofSeconds(10), () -> assertThat(session.get("/v2/users").status()).isEqualTo(200));
    assertThat(key.post("/v2/api-keys", new JsonObject().put("name", "after-outage").put("scope", "management")).status()).isEqualTo(201);
    Eventually.await(Duration.ofSeconds(10), () -> assertThat(session.get("/v2/nodes/" + nodes.name(1)).json()
        .getString("state")).isEqualTo("ready"));
  }
}
