package dev.gantry.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.ProcessCluster;
import dev.gantry.testing.SseClient;
import dev.gantry.testing.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Three real node processes (java -jar) sharing one PostgreSQL")
class ClusterProcessesIT {

  private static final int NODES = 3;
  private static final String PASSWORD = "process-Admin-pw-7";

  @RegisterExtension
  static final ProcessCluster cluster = ProcessCluster.of("it-node", NODES, PASSWORD)
      .withArgs(i -> List.of("--labels", "process=" + i));

  @BeforeAll
  static void startThreeProcessesTogether() {
    Duration ready = cluster.start(Duration.ofSeconds(120));
    System.out.printf("three node processes started together: all ready with 3 members after %d ms%n",
        ready.toMillis());
  }

  @AfterAll
  static void stopEverything() {
    cluster.close();
  }

  private static String name(int i) {
    return cluster.name(i);
  }

  private static String url(int i) {
    return cluster.url(i);
  }

  private static Api admin(int i) {
    return cluster.admin(i);
  }

  private static JsonObject nodeRecord(Api api, String name) {
    return api.get("/v2/nodes").items().stream().map(JsonObject.class::cast)
        .filter(n -> name.equals(n.getString("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no node " + name + " in " + api.baseUrl() + "/v2/nodes"));
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  @DisplayName("the three processes migrated once, and a key from node 1 works on node 3 and a session from node 1 on node 2")
  void clusterSharesAccounts() {
    Api admin1 = admin(1);
    String key = admin1.createKey(unique("process-key"), "*").getString("value");

    assertThat(new Api(url(3)).withKey(key).get("/v2/users/me").json().getString("username")).isEqualTo("admin");
    assertThat(admin1.on(url(2)).get("/v2/users/me").status()).isEqualTo(200);
    assertThat(cluster.postgres().query(TestPostgres.databaseOf(cluster.dbUrl()),
        "SELECT version, count(*) AS runs FROM flyway_schema_history WHERE version IS NOT NULL GROUP BY version"))
        .isNotEmpty().allSatisfy(row -> assertThat(row.get("runs")).isEqualTo(1L));
    for (int i = 1; i <= NODES; i++) {
      assertThat(nodeRecord(admin1, name(i)).getString("state")).isEqualTo("ready");
    }
  }

  @Test
  @DisplayName("kill -9 of node 2: unreachable on node 1 within 2 s, node 3's watcher is told; "
      + "restarted with the same name it is ready again and takes part in sessions and keys")
  void killedNodeIsNoticedAndRejoins() {
    Api admin1 = admin(1);
    String keyBefore = admin1.createKey(unique("before-kill"), "*").getString("value");
    String oldMember = nodeRecord(admin1, name(2)).getString("member_id");
    try (SseClient watch3 = SseClient.watch(admin(3), "/v2/nodes")) {
      watch3.awaitEvent(e -> "CREATED".equals(e.event()) && name(2).equals(e.item("name")), Duration.ofSeconds(10));

      long killed = System.nanoTime();
      cluster.node(2).process().destroyForcibly();
      Duration unreachable = Eventually.await(Duration.ofSeconds(2),
          () -> assertThat(nodeRecord(admin1, name(2)).getString("state")).isEqualTo("unreachable"));
      SseClient.Event update = watch3.awaitEvent(e -> "UPDATED".equals(e.event()) && name(2).equals(e.item("name"))
          && "unreachable".equals(e.item("state")), Duration.ofSeconds(5));
      long watched = (System.nanoTime() - killed) / 1_000_000;
      System.out.printf("kill -9 of node 2: unreachable on node 1 after %d ms; SSE UPDATED on node 3 by %d ms%n",
          unreachable.toMillis(), watched);
      assertThat(cluster.node(2).waitFor(10)).as("exit code of a SIGKILLed JVM").isEqualTo(137);
      assertThat(update.json().getString("state_message")).contains("left the cluster");
      assertThat(new Api(url(3)).withKey(keyBefore).get("/v2/users/me").status())
          .as("accounts survive the loss of a member").isEqualTo(200);
      assertThat(admin1.on(url(3)).get("/v2/users/me").status()).isEqualTo(200);

      long restarted = System.nanoTime();
      cluster.restart(2);
      Duration rejoined = Eventually.await(Duration.ofSeconds(90), () -> {
        assertThat(cluster.node(2).alive()).as("restarted node 2; its output:%n%s", cluster.node(2).output()).isTrue();
        JsonObject record = nodeRecord(admin1, name(2));
        assertThat(record.getString("state")).isEqualTo("ready");
        assertThat(record.getString("member_id")).isNotEqualTo(oldMember);
      });
      watch3.awaitEvent(e -> name(2).equals(e.item("name")) && "ready".equals(e.item("state")), Duration.ofSeconds(10));
      System.out.printf("node 2 restarted: ready on node 1 after %d ms (process start to ready record)%n",
          (System.nanoTime() - restarted) / 1_000_000);
      assertThat(rejoined).isPositive();
    }
    cluster.awaitReady(2, Duration.ofSeconds(30));
    String keyAfter = admin1.createKey(unique("after-restart"), "*").getString("value");
    assertThat(new Api(url(3)).withKey(keyAfter).get("/v2/users/me").status()).isEqualTo(200);
    assertThat(new Api(url(2)).withKey(keyBefore).get("/v2/users/me").status()).isEqualTo(200);
    assertThat(admin1.on(url(2)).get("/v2/users/me").status()).as("a session from node 1 on the restarted node 2")
        .isEqualTo(200);
  }
}
