package dev.gantry.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.ChatLoad;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Maintenance with {@code drain}: the replicas of the drained node start elsewhere first, then stop once
 * their requests finished; chat requests sent meanwhile all succeed; the node stays in the cluster, in
 * maintenance, with nothing on it; stopped, it is removed cleanly.
 */
class DrainTest {

  private static final String REPLY = "Hello from Gantry!";
  private static TestNodes nodes;

  @BeforeAll
  static void start() {
    nodes = TestNodes.start(2);
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  private static JsonArray instances(Api api) {
    return Api.expect(api.get("/v2/model-instances?model_name=drained"), 200).getJsonArray("items");
  }

  @Test
  void drainingMovesTheReplicaBeforeItStopsAndNoRequestFails() throws Exception {
    Api admin = nodes.admin(1);
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", "drained").put("source", "builtin")
        .put("builtin_model", "gantry-tiny-chat")), 201);
    Eventually.await(Duration.ofSeconds(90), () -> assertThat(instances(admin)).singleElement()
        .satisfies(i -> assertThat(((JsonObject) i).getString("state")).isEqualTo("running")));
    String hostName = instances(admin).getJsonObject(0).getString("node_name");
    int host = List.of(nodes.name(1), nodes.name(2)).indexOf(hostName) + 1;
    int other = 3 - host;
    String key = admin.createKey("drain-load", "*").getString("value");

    ChatLoad load = ChatLoad.start(nodes.url(other), key, "drained", REPLY, 1);
    load.awaitServed(3, Duration.ofSeconds(10));

    assertThat(admin.patch("/v2/nodes/" + hostName, new JsonObject().put("maintenance", false).put("drain", true))
        .status()).as("drain without maintenance is refused").isEqualTo(400);
    JsonObject draining = Api.expect(admin.patch("/v2/nodes/" + hostName, new JsonObject().put("drain", true)), 200);
    assertThat(draining.getBoolean("maintenance")).isTrue();
    assertThat(draining.getBoolean("drain")).isTrue();
    assertThat(draining.getString("state_message")).contains("draining");

    Duration moved = Eventually.await(Duration.ofSeconds(60), () -> assertThat(instances(admin)).singleElement()
        .satisfies(i -> {
          assertThat(((JsonObject) i).getString("node_name")).isEqualTo(nodes.name(other));
          assertThat(((JsonObject) i).getString("state")).isEqualTo("running");
        }));
    load.awaitServed(3, Duration.ofSeconds(10));
    List<String> failures = load.stop();
    System.out.printf("drain: the replica moved and the old one stopped after %d ms; %d requests served, %d failed%n",
        moved.toMillis(), load.served(), failures.size());
    assertThat(failures).as("failed requests during the drain").isEmpty();

    Api survivor = admin.on(nodes.url(other));
    JsonObject node = Api.expect(survivor.get("/v2/nodes/" + hostName), 200);
    assertThat(node.getString("state")).isEqualTo("maintenance");
    assertThat(survivor.delete("/v2/nodes/" + hostName).status()).as("a drained node still in the cluster").isEqualTo(409);
    nodes.stopNode(host);
    assertThat(survivor.delete("/v2/nodes/" + hostName).status()).as("drained and stopped, it goes cleanly").isEqualTo(204);
    assertThat(instances(survivor)).singleElement()
        .satisfies(i -> assertThat(((JsonObject) i).getString("state")).isEqualTo("running"));
  }
}
