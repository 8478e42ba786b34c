package dev.gantry.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An Alibaba Cloud worker pool end to end through the official SDK against the fake of ECS's API (which checks
 * every signature and boots a real Gantry node in this JVM from the user-data it was given): a replica pending
 * for lack of a fitting node adds an instance in the pool's vSwitch and security group (the next type when
 * the first is out of stock), the node joins and the replica runs on it; once the model is gone the node is
 * idle, drained and deleted. A create whose answer is lost after ECS made the instance leaves nothing behind.
 */
class AliyunPoolScalingTest {

  private static final String KEY = "LTAI5tGantryTest";
  private static final String SECRET = "aliyun-secret-0123456789";
  private static final String VSWITCH = "vsw-bp1s5fnvk4gn2tws03624";
  private static final String GROUP = "sg-bp15ed6xe1yxeycg7o8c";
  private static TestNodes nodes;
  private static Vertx vertx;
  private static FakeEcs ecs;
  private static final CloudBootedNodes booted = new CloudBootedNodes();

  @BeforeAll
  static void start() {
    System.setProperty("gantry.pool.tick-ms", "300");
    nodes = TestNodes.start(1);
    vertx = Vertx.vertx();
    ecs = FakeEcs.start(vertx, KEY, SECRET, booted::boot, booted::halt);
  }

  @AfterAll
  static void stop() {
    booted.close();
    if (ecs != null) {
      ecs.close();
      vertx.close().await();
    }
    if (nodes != null) {
      nodes.close();
    }
    System.clearProperty("gantry.pool.tick-ms");
  }

  private static JsonObject pool(String name, int min, int max, int idle, int join) {
    return new JsonObject().put("name", name).put("provider", "aliyun").put("endpoint", ecs.url())
        .put("credentials", new JsonObject().put("access_key_id", KEY).put("access_key_secret", SECRET))
        .put("region", "cn-hangzhou").put("image", "ubuntu_22_04_x64_20G_alibase_20241224.vhd").put("disk_gb", 80)
        .put("subnet_id", VSWITCH).put("security_group_ids", new JsonArray().add(GROUP))
        .put("instance_types", new JsonArray()
            .add(new JsonObject().put("name", "ecs.g7.xlarge").put("cpus", 4).put("memory_gib", 16))
            .add(new JsonObject().put("name", "ecs.g8i.xlarge").put("cpus", 4).put("memory_gib", 16)))
        .put("labels", new JsonObject().put("tier", "aliyun"))
        .put("min_nodes", min).put("max_nodes", max).put("idle_timeout", idle).put("join_timeout", join);
  }

  private static List<String> actions(Api admin, String pool) {
    return Api.expect(admin.get("/v2/worker-pools/" + pool + "/events"), 200).getJsonArray("items").stream()
        .map(e -> ((JsonObject) e).getString("action")).toList();
  }

  @Test
  void pendingReplicaAddsAnInstanceThatJoinsAndServesThenIdleDrainsAndDeletesIt() {
    Api admin = nodes.admin(1);
    String name = "y" + Long.toString(System.nanoTime() % 1_000_000, 36);
    ecs.outOfStock.add("ecs.g7.xlarge");

    JsonObject refused = pool(name, 0, 1, 1, 120);
    refused.getJsonObject("credentials").put("access_key_secret", "wrong");
    Api.Response wrongSecret = admin.post("/v2/worker-pools", refused);
    assertThat(wrongSecret.status()).isEqualTo(400);
    assertThat(wrongSecret.body()).as("the provider's reason").contains("SignatureDoesNotMatch");
    JsonObject noVswitch = pool(name, 0, 1, 1, 120);
    noVswitch.remove("subnet_id");
    assertThat(admin.post("/v2/worker-pools", noVswitch).body()).contains("needs subnet_id (the vSwitch");
    assertThat(admin.post("/v2/worker-pools", pool(name, 0, 1, 1, 120).put("subnet_id", "subnet-0123456789abcdef0")).body())
        .contains("subnet_id 'subnet-0123456789abcdef0' is not a subnet id of this provider, such as vsw-");
    assertThat(admin.post("/v2/worker-pools", pool(name, 0, 1, 1, 120).put("credentials",
        new JsonObject().put("access_key_id", KEY))).body()).contains("needs credentials.access_key_secret");
    assertThat(Api.expect(admin.post("/v2/worker-pools", pool(name, 0, 1, 1, 120)), 201).encode()).doesNotContain(SECRET)
        .contains("\"subnet_id\":\"" + VSWITCH + "\"");

    Api.expect(admin.post("/v2/models", new JsonObject().put("name", name + "-chat").put("source", "builtin")
        .put("builtin_model", "gantry-tiny-chat").put("node_selector", new JsonObject().put("pool", name))), 201);
    Eventually.await(Duration.ofSeconds(90), () -> assertThat(
        Api.expect(admin.get("/v2/model-instances?model_name=" + name + "-chat"), 200).getJsonArray("items"))
        .singleElement().satisfies(i -> {
          assertThat(((JsonObject) i).getString("state")).isEqualTo("running");
          assertThat(((JsonObject) i).getString("node_name")).startsWith(name + "-");
        }));

    List<FakeEcs.EcsInstance> made = ecs.tagged(PoolTags.POOL, name);
    assertThat(made).as("one instance, of the type in stock, in the pool's network").singleElement().satisfies(i -> {
      assertThat(i.params).containsEntry("InstanceType", "ecs.g8i.xlarge").containsEntry("VSwitchId", VSWITCH)
          .containsEntry("SecurityGroupIds.1", GROUP).containsEntry("SystemDisk.Size", "80");
      assertThat(i.tags.get(PoolTags.CLUSTER)).startsWith("g");
      assertThat(i.userData).startsWith("#cloud-config\n").doesNotContain(SECRET);
    });
    String node = made.get(0).name;
    assertThat(Api.expect(admin.get("/v2/nodes/" + node), 200).getJsonObject("labels").getMap())
        .containsEntry("pool", name).containsEntry("tier", "aliyun").containsEntry("instance-type", "ecs.g8i.xlarge");
    assertThat(actions(admin, name)).as("newest first").containsSubsequence("create", "fallback");

    Api.expect(admin.delete("/v2/models/" + Api.expect(admin.get("/v2/models?search=" + name + "-chat"), 200)
        .getJsonArray("items").getJsonObject(0).getLong("id")), 204);
    Eventually.await(Duration.ofSeconds(60), () -> {
      assertThat(ecs.tagged(PoolTags.POOL, name)).as("instances left at ECS").isEmpty();
      assertThat(admin.get("/v2/nodes/" + node).status()).as("the deleted node is forgotten").isEqualTo(404);
    });
    assertThat(actions(admin, name)).containsSubsequence("delete", "drain", "create", "fallback");
  }

  @Test
  void aCreateWhoseAnswerIsLostAfterEcsMadeTheInstanceLeavesNothingBehind() {
    Api admin = nodes.admin(1);
    String name = "z" + Long.toString(System.nanoTime() % 1_000_000, 36);
    booted.booting = false;
    try {
      ecs.failures.add(new FakeEcs.Failure("RunInstances", 500, "InternalError",
          "The request processing has failed due to some unknown error.", true));
      Api.expect(admin.post("/v2/worker-pools", pool(name, 1, 1, 60, 2)), 201);

      Eventually.await(Duration.ofSeconds(30), () -> assertThat(actions(admin, name))
          .as("the lost create is found by its tags and deleted when its node does not join")
          .contains("error", "delete"));
      assertThat(Api.expect(admin.get("/v2/worker-pools/" + name + "/events"), 200).encode())
          .contains("InternalError: The request processing has failed").contains("did not join the cluster within 2 s");
      assertThat(ecs.count("RunInstances")).as("creates stay bounded").isLessThan(10);

      Api.expect(admin.delete("/v2/worker-pools/" + name), 202);
      Eventually.await(Duration.ofSeconds(30), () -> {
        assertThat(admin.get("/v2/worker-pools/" + name).status()).isEqualTo(404);
        assertThat(ecs.tagged(PoolTags.POOL, name)).as("instances left at ECS").isEmpty();
      });
    } finally {
      booted.booting = true;
    }
  }
}
