package dev.gantry.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.LoneHazelcast;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A local mirror against a real (single, unjoined) Hazelcast member. A mirror that has not started
 * listening stands for another node's mirror that has not heard of a write yet: what {@link LocalMirror#fill}
 * and {@link LocalMirror#refresh} are for.
 */
class LocalMirrorTest {

  private static HazelcastInstance hazelcast;
  private static Vertx vertx;
  private static SharedMaps maps;

  @BeforeAll
  static void start() {
    hazelcast = LoneHazelcast.start("local-mirror-test");
    vertx = Vertx.vertx();
    maps = new SharedMaps(vertx, hazelcast);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    hazelcast.shutdown();
  }

  @Test
  void aRecordThisMirrorHasNotHeardOfIsFilledInFromTheMap() {
    SharedMap map = maps.map("mirror-test.fill");
    AtomicInteger changes = new AtomicInteger();
    LocalMirror<String> unheard = map.mirror(String::toUpperCase, changes::incrementAndGet);
    map.set("alpha", "written elsewhere").await();
    assertThat(unheard.get("alpha")).as("no event reached this mirror").isNull();

    assertThat(unheard.fill("alpha").await()).isEqualTo("WRITTEN ELSEWHERE");
    assertThat(unheard.get("alpha")).as("kept for the next request").isEqualTo("WRITTEN ELSEWHERE");
    assertThat(changes).as("its owner hears of it as of an event").hasValue(1);
  }

  @Test
  void aNameTheMapDoesNotHoldFillsNothing() {
    SharedMap map = maps.map("mirror-test.missing");
    AtomicInteger changes = new AtomicInteger();
    LocalMirror<String> mirror = map.mirror(String::toUpperCase, changes::incrementAndGet);
    map.set("present", "x").await();

    assertThat(mirror.fill("absent").await()).isNull();
    assertThat(mirror.values()).isEmpty();
    assertThat(changes).hasValue(0);
  }

  @Test
  void aRecordAlreadyHereIsLeftToTheEvents() {
    SharedMap map = maps.map("mirror-test.present");
    LocalMirror<String> mirror = map.mirror(s -> s, () -> { });
    map.set("beta", "first").await();
    mirror.fill("beta").await();
    map.set("beta", "second").await();

    assertThat(mirror.fill("beta").await()).as("what the map holds").isEqualTo("second");
    assertThat(mirror.get("beta")).as("an update is the events' to apply, in their order").isEqualTo("first");
  }

  @Test
  void refreshTakesWhatTheMapHoldsNowForARecordHereAndDropsOneTheMapLost() {
    SharedMap map = maps.map("mirror-test.refresh");
    AtomicInteger changes = new AtomicInteger();
    LocalMirror<String> lagging = map.mirror(s -> s, changes::incrementAndGet);
    map.set("delta", "starting").await();
    map.set("omega", "starting").await();
    lagging.fill("delta").await();
    lagging.fill("omega").await();
    map.set("delta", "running").await();
    map.remove("omega").await();
    assertThat(lagging.get("delta")).as("no event reached this mirror").isEqualTo("starting");

    assertThat(lagging.refresh("delta").await()).isEqualTo("running");
    assertThat(lagging.get("delta")).isEqualTo("running");
    assertThat(lagging.refresh("omega").await()).isNull();
    assertThat(lagging.get("omega")).as("removed in the map").isNull();
    assertThat(changes).as("two fills, two refreshes").hasValue(4);
    assertThat(lagging.refresh("never").await()).isNull();
    assertThat(changes).as("nothing to change for a key neither holds").hasValue(4);
  }

  @Test
  void aListeningMirrorFollowsAndFillIsNotNeeded() {
    SharedMap map = maps.map("mirror-test.listening");
    LocalMirror<String> mirror = map.mirror(s -> s, () -> { });
    vertx.executeBlocking(() -> {
      mirror.startBlocking();
      return null;
    }).await();
    map.set("gamma", "one").await();
    Eventually.await(Duration.ofSeconds(5), () -> assertThat(mirror.get("gamma")).isEqualTo("one"));
    map.remove("gamma").await();
    Eventually.await(Duration.ofSeconds(5), () -> assertThat(mirror.get("gamma")).isNull());
    assertThat(mirror.fill("gamma").await()).as("removed in the map too").isNull();
    assertThat(mirror.get("gamma")).isNull();
  }
}
