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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A DigitalOcean worker pool end to end against the fake of DigitalOcean's API, whose create boots a real
 * Gantry node in this JVM from the user-data it was given: a replica pending for lack of a fitting node
 * adds a droplet (the first type that fits, the next one when that is out of capacity), the node joins
 * and the replica runs on it; once the model is gone the node is idle, drained and deleted. A create that
 * fails after the cloud made the droplet leaves nothing behind.
 */
class WorkerPoolScalingTest {

  private static final String TOKEN = "dop_v1_test_token_0123456789";
  private static TestNodes nodes;
  private static Vertx vertx;
  private static FakeDigitalOcean fake;
  private static FakeEc2 ec2;
  private static final CloudBootedNodes booted = new CloudBootedNodes();

  @BeforeAll
  static void start() {
    System.setProperty("gantry.pool.tick-ms", "300");
    nodes = TestNodes.start(1);
    vertx = Vertx.vertx();
    fake = FakeDigitalOcean.start(vertx, TOKEN, booted::boot, booted::halt);
    ec2 = FakeEc2.start(vertx, "AKIDTEST", "aws-secret", "us-east-1", booted::boot, booted::halt);
  }

  @AfterAll
  static void stop() {
    booted.close();
    if (fake != null) {
      fake.close();
      ec2.close();
      vertx.close().await();
    }
    if (nodes != null) {
      nodes.close();
    }
    System.clearProperty("gantry.pool.tick-ms");
  }

  private static JsonObject pool(String name, int min, int max, int idle, int join) {
    return new JsonObject().put("name", name).put("provider", "digitalocean").put("endpoint", fake.url())
        .put("credentials", new JsonObject().put("token", TOKEN)).put("region", "nyc3").put("image", "gantry-1-0-ubuntu-24-04")
        .put("instance_types", new JsonArray()
            .add(new JsonObject().put("name", "s-1vcpu-1gb").put("memory_gib", 1))
            .add(new JsonObject().put("name", "s-2vcpu-4gb").put("cpus", 2).put("memory_gib", 4))
            .add(new JsonObject().put("name", "s-4vcpu-8gb").put("cpus", 4).put("memory_gib", 8)))
        .put("labels", new JsonObject().put("tier", "cloud"))
        .put("min_nodes", min).put("max_nodes", max).put("idle_timeout", idle).put("join_timeout", join);
  }

  private static List<String> actions(Api admin, String pool) {
    return Api.expect(admin.get("/v2/worker-pools/" + pool + "/events"), 200).getJsonArray("items").stream()
        .map(e -> ((JsonObject) e).getString("action")).toList();
  }

  @Test
  void pendingReplicaAddsANodeThatJoinsAndServesThenIdleDrainsAndDeletesIt() throws Exception {
    Api admin = nodes.admin(1);
    String name = "p" + Long.toString(System.nanoTime() % 1_000_000, 36);
    fake.outOfCapacity.add("s-2vcpu-4gb");

    assertThat(admin.post("/v2/worker-pools", pool(name, 0, 2, 2, 120).put("credentials",
        new JsonObject().put("token", "wrong"))).body()).as("credentials the provider refuses")
        .contains("Unable to authenticate you");
    assertThat(admin.post("/v2/worker-pools", pool(name, 3, 2, 2, 120)).body()).contains("min_nodes (3) is greater than max_nodes (2)");
    Api.Response created = admin.post("/v2/worker-pools", pool(name, 0, 2, 2, 120));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body()).doesNotContain(TOKEN).contains("\"credentials_set\":true");
    assertThat(admin.post("/v2/worker-pools", pool(name, 0, 2, 2, 120)).status()).isEqualTo(409);

    Api.expect(admin.post("/v2/models", new JsonObject().put("name", name + "-chat").put("source", "builtin")
        .put("builtin_model", "gantry-tiny-chat").put("node_selector", new JsonObject().put("pool", name))), 201);
    Eventually.await(Duration.ofSeconds(90), () -> assertThat(
        Api.expect(admin.get("/v2/model-instances?model_name=" + name + "-chat"), 200).getJsonArray("items"))
        .singleElement().satisfies(i -> {
          assertThat(((JsonObject) i).getString("state")).isEqualTo("running");
          assertThat(((JsonObject) i).getString("node_name")).startsWith(name + "-");
        }));

    List<JsonObject> droplets = fake.tagged("gantry-pool:" + name);
    assertThat(droplets).as("one droplet, of the first type that fits and has capacity").singleElement()
        .satisfies(d -> assertThat(d.getString("size_slug")).isEqualTo("s-4vcpu-8gb"));
    JsonObject droplet = droplets.get(0);
    String node = droplet.getString("name");
    assertThat(droplet.getJsonArray("tags")).anySatisfy(t -> assertThat((String) t).startsWith("gantry-cluster:g"));
    JsonObject record = Api.expect(admin.get("/v2/nodes/" + node), 200);
    assertThat(record.getJsonObject("labels").getMap()).containsEntry("pool", name).containsEntry("tier", "cloud")
        .containsEntry("instance-type", "s-4vcpu-8gb");
    secretTravelsInAFileOnly(node);
    assertThat(actions(admin, name)).containsSubsequence("create", "fallback");

    Api.expect(admin.delete("/v2/models/" + Api.expect(admin.get("/v2/models?search=" + name + "-chat"), 200)
        .getJsonArray("items").getJsonObject(0).getLong("id")), 204);
    Eventually.await(Duration.ofSeconds(60), () -> {
      assertThat(fake.tagged("gantry-pool:" + name)).as("droplets left at the cloud").isEmpty();
      assertThat(admin.get("/v2/nodes/" + node).status()).as("the deleted node is forgotten").isEqualTo(404);
    });
    assertThat(actions(admin, name)).containsSubsequence("delete", "drain", "create", "fallback");
    assertThat(Api.expect(admin.get("/v2/worker-pools/" + name), 200).getJsonObject("status").getJsonArray("instances"))
        .isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static void secretTravelsInAFileOnly(String node) {
    List<String> line = booted.commandLines.get(node);
    assertThat(String.join(" ", line)).doesNotContain(nodes.clusterSecret).contains("--cluster-secret-file");
    List<Map<String, Object>> files = (List<Map<String, Object>>) booted.documents.get(node).get("write_files");
    assertThat(files).filteredOn(f -> f.get("path").equals("/etc/gantry/cluster_secret")).singleElement().satisfies(f -> {
      assertThat(f).containsEntry("owner", "gantry:gantry").containsEntry("permissions", "0400");
      assertThat(((String) f.get("content")).strip()).isEqualTo(nodes.clusterSecret);
    });
  }

  @Test
  void aCreateThatFailsAfterTheCloudMadeTheDropletLeavesNothingBehind() {
    Api admin = nodes.admin(1);
    String name = "q" + Long.toString(System.nanoTime() % 1_000_000, 36);
    booted.booting = false;
    try {
      Api.expect(admin.post("/v2/worker-pools", pool(name, 1, 1, 60, 2)), 201);
      fake.failures.add(new FakeDigitalOcean.Failure("GET", 429, "too_many_requests", "API Rate limit exceeded.", false));
      fake.failures.add(new FakeDigitalOcean.Failure("POST", 500, "server_error", "Server was unable to give you a response.",
          true));

      Eventually.await(Duration.ofSeconds(30), () -> assertThat(actions(admin, name))
          .as("the lost create is found by its tags and deleted when its node does not join")
          .contains("error", "delete"));
      assertThat(Api.expect(admin.get("/v2/worker-pools/" + name + "/events"), 200).encode())
          .contains("Server was unable to give you a response").contains("did not join the cluster within 2 s");
      assertThat(fake.count("POST /v2/droplets")).as("creates stay bounded").isLessThan(10);

      Api.expect(admin.delete("/v2/worker-pools/" + name), 202);
      Eventually.await(Duration.ofSeconds(30), () -> {
        assertThat(admin.get("/v2/worker-pools/" + name).status()).isEqualTo(404);
        assertThat(fake.tagged("gantry-pool:" + name)).isEmpty();
      });
    } finally {
      booted.booting = true;
    }
  }

  @Test
  void anAwsPoolDoesTheSameThroughTheSdk() {
    Api admin = nodes.admin(1);
    String name = "a" + Long.toString(System.nanoTime() % 1_000_000, 36);
    JsonObject spec = new JsonObject().put("name", name).put("provider", "aws").put("endpoint", ec2.url())
        .put("credentials", new JsonObject().put("access_key_id", "AKIDTEST").put("secret_access_key", "wrong"))
        .put("region", "us-east-1").put("image", "ami-0gantry").put("disk_gb", 100)
        .put("instance_types", new JsonArray().add(new JsonObject().put("name", "m7i.xlarge").put("cpus", 4).put("memory_gib", 16)))
        .put("max_nodes", 1).put("idle_timeout", 1).put("join_timeout", 120)
        .put("subnet_id", "subnet-0123456789abcdef0").put("security_group_ids", new JsonArray().add("sg-0123456789abcdef0"));
    assertThat(admin.post("/v2/worker-pools", spec.copy().put("subnet_id", "vsw-bp1s5fnvk4gn2tws03624")).body())
        .as("a subnet id of another provider").contains("such as subnet-0123456789abcdef0");
    assertThat(admin.post("/v2/worker-pools", spec).body()).as("a secret AWS refuses").contains("AuthFailure");
    spec.getJsonObject("credentials").put("secret_access_key", "aws-secret");
    assertThat(Api.expect(admin.post("/v2/worker-pools", spec), 201).encode()).doesNotContain("aws-secret");

    Api.expect(admin.post("/v2/models", new JsonObject().put("name", name + "-chat").put("source", "builtin")
        .put("builtin_model", "gantry-tiny-chat").put("node_selector", new JsonObject().put("pool", name))), 201);
    Eventually.await(Duration.ofSeconds(90), () -> assertThat(
        Api.expect(admin.get("/v2/model-instances?model_name=" + name + "-chat"), 200).getJsonArray("items"))
        .singleElement().satisfies(i -> {
          assertThat(((JsonObject) i).getString("state")).isEqualTo("running");
          assertThat(((JsonObject) i).getString("node_name")).startsWith(name + "-");
        }));
    assertThat(ec2.live(PoolTags.POOL, name)).singleElement().satisfies(i -> {
      assertThat(i.type()).isEqualTo("m7i.xlarge");
      assertThat(i.subnetId()).isEqualTo("subnet-0123456789abcdef0");
      assertThat(i.securityGroupIds()).containsExactly("sg-0123456789abcdef0");
      assertThat(i.tags().get(PoolTags.CLUSTER)).startsWith("g");
    });

    Api.expect(admin.delete("/v2/models/" + Api.expect(admin.get("/v2/models?search=" + name + "-chat"), 200)
        .getJsonArray("items").getJsonObject(0).getLong("id")), 204);
    Eventually.await(Duration.ofSeconds(60), () -> assertThat(ec2.live(PoolTags.POOL, name))
        .as("instances left running at EC2").isEmpty());
    Eventually.await(Duration.ofSeconds(10), () -> assertThat(actions(admin, name)).containsSubsequence("delete", "drain", "create"));
  }
}
