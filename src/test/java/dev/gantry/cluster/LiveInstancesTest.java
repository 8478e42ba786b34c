package dev.gantry.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.LoneHazelcast;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The owner of {@code gantry.instances} against a real (single, unjoined) Hazelcast member. */
class LiveInstancesTest {

  private static HazelcastInstance hazelcast;
  private static Vertx vertx;
  private static LiveInstances instances;

  @BeforeAll
  static void start() {
    hazelcast = LoneHazelcast.start("live-instances-test");
    vertx = Vertx.vertx();
    instances = new LiveInstances(new SharedMaps(vertx, hazelcast));
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    hazelcast.shutdown();
  }

  private static ModelInstance fresh(String id) {
    return ModelInstance.pending(id, "m-" + id, 1L, "m", "builtin", List.of(), Instant.now());
  }

  @Test
  void concurrentWritersOfOneRecordKeepEachOthersChanges() {
    ModelInstance instance = fresh("cas-1");
    instances.create(instance).await();
    List<Future<ModelInstance>> writes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int port = 40000 + i;
      writes.add(instances.update(instance.id(), current -> current.ownedBy("member", port)));
      writes.add(instances.update(instance.id(), current -> current.waiting("round " + port)));
    }
    Future.all(writes).await();
    ModelInstance stored = instances.get(instance.id()).await();
    assertThat(stored.nodePort()).as("an owner stamp survived the scheduler's writes").isBetween(40000, 40019);
    assertThat(stored.stateMessage()).as("a scheduler message survived the owner's writes").startsWith("round ");
    assertThat(stored.memberId()).isEqualTo("member");
  }

  @Test
  void aLateChangeNeverBringsBackARemovedReplica() {
    ModelInstance instance = fresh("gone-1");
    instances.create(instance).await();
    assertThat(instances.remove(instance.id()).await()).isTrue();
    assertThat(instances.update(instance.id(), ModelInstance::running).await()).isNull();
    assertThat(instances.get(instance.id()).await()).isNull();
    assertThat(instances.remove(instance.id()).await()).isFalse();
  }

  @Test
  void listenersSeeTypedChangesUntilTheyAreClosed() {
    List<String> seen = new CopyOnWriteArrayList<>();
    SharedMap.Listening listening = instances.listen((type, i) -> seen.add(type + " " + i.id() + " " + i.state().json()))
        .await();
    ModelInstance instance = fresh("events-1");
    instances.create(instance).await();
    instances.update(instance.id(), ModelInstance::running).await();
    instances.remove(instance.id()).await();
    Eventually.await(Duration.ofSeconds(5), () -> assertThat(seen).containsExactly("CREATED events-1 pending",
        "UPDATED events-1 running", "DELETED events-1 running"));
    listening.close().await();
    instances.create(fresh("events-2")).await();
    LocalMirror<ModelInstance> mirror = instances.mirror(() -> { });
    mirror.startBlocking();
    assertThat(mirror.get("events-2")).as("the mirror reads what is there").isNotNull();
    assertThat(seen).as("a closed listener hears nothing").hasSize(3);
  }
}

