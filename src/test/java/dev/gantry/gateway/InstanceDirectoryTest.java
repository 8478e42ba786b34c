package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.gantry.cluster.ClusterSecret;
import dev.gantry.cluster.LiveInstances;
import dev.gantry.cluster.LiveModels;
import dev.gantry.cluster.ModelInstance;
import dev.gantry.cluster.SharedMaps;
import dev.gantry.testing.LoneHazelcast;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A relay for an instance this node's mirror has not heard about yet asks the cluster map, against a
 * real (single, unjoined) Hazelcast member. The directory is never started, so its mirror stays empty:
 * the state of a node whose change event is still on its way while another node's gateway already
 * picked the instance.
 */
class InstanceDirectoryTest {

  private static final String NODE = "here";
  private static HazelcastInstance hazelcast;
  private static Vertx vertx;
  private static LiveInstances instances;
  private static InstanceDirectory directory;
  private static ClusterSecret secret;

  @BeforeAll
  static void start() {
    hazelcast = LoneHazelcast.start("instance-directory-test");
    vertx = Vertx.vertx();
    SharedMaps maps = new SharedMaps(vertx, hazelcast);
    instances = new LiveInstances(maps);
    secret = ClusterSecret.of(ClusterSecret.generate());
    directory = new InstanceDirectory(new LiveModels(maps), instances, maps.membership(), NODE, secret);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    hazelcast.shutdown();
  }

  private static ModelInstance placed(String id, String node) {
    return ModelInstance.pending(id, "m-" + id, 1L, "m", "builtin", List.of(), Instant.now())
        .placed(node, "10.0.0.9", List.of(), null, "placed")
        .starting(41000, 4242L, 0, "loading")
        .ownedBy(hazelcast.getCluster().getLocalMember().getUuid().toString(), 9000);
  }

  @Test
  void aRunningInstanceOfThisNodeTheMirrorHasNotHeardOfIsFoundInTheClusterMap() {
    instances.create(placed("fresh", NODE).running()).await();

    assertThat(directory.own("fresh")).as("the mirror has not applied the change").isNull();
    Upstream found = directory.ownFromCluster("fresh").await();
    assertThat(found).isNotNull();
    assertThat(found.id()).isEqualTo("fresh");
    assertThat(found.port()).isEqualTo(41000);
    assertThat(found.authorization()).as("the engine key derived for this instance")
        .isEqualTo("Bearer " + secret.engineKey("fresh"));
  }

  @Test
  void anInstanceThatIsNotServingHereIsNotRelayed() {
    instances.create(placed("loading", NODE)).await();
    instances.create(placed("elsewhere", "another-node").running()).await();
    instances.create(placed("stopped", NODE).running().failed(1, "exited 1")).await();
    instances.create(placed("orphan", NODE).running().ownedBy("a-member-that-left", 9000)).await();

    assertThat(directory.ownFromCluster("loading").await()).as("still starting").isNull();
    assertThat(directory.ownFromCluster("elsewhere").await()).as("running on another node").isNull();
    assertThat(directory.ownFromCluster("stopped").await()).as("failed").isNull();
    assertThat(directory.ownFromCluster("orphan").await()).as("owned by a member no longer in the cluster").isNull();
    assertThat(directory.ownFromCluster("never-existed").await()).as("no record").isNull();
  }

  @Test
  void aDrainingInstanceStillAnswersARequestPickedBeforeItDrained() {
    instances.create(placed("draining", NODE).running().draining("scaling down")).await();

    assertThat(directory.ownFromCluster("draining").await()).isNotNull();
  }
}
