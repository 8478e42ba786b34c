package dev.gantry.testing;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;

/**
 * Holds every Hazelcast event thread of one in-JVM node until closed, so that the node hears of no map
 * change meanwhile: what a node whose events lag behind another node's writes looks like, made certain.
 * A listener on a scratch map blocks the thread that delivers to it; one scratch entry per partition
 * reaches every event thread (they are striped by partition).
 */
public final class HeldEvents implements AutoCloseable {

  private static final Duration LONGEST = Duration.ofSeconds(60);

  private final IMap<String, String> scratch;
  private final UUID registration;
  private final CountDownLatch release = new CountDownLatch(1);
  private final Set<Thread> holding = ConcurrentHashMap.newKeySet();
  private final int threads;

  private HeldEvents(HazelcastInstance hazelcast) {
    String configured = hazelcast.getConfig().getProperty("hazelcast.event.thread.count");
    this.threads = configured == null ? 5 : Integer.parseInt(configured);
    this.scratch = hazelcast.getMap("test.held-events-" + UUID.randomUUID());
    this.registration = scratch.addEntryListener((EntryAddedListener<String, String>) event -> hold(), false);
  }

  /** Holds the event threads of the in-JVM member listening on {@code clusterPort}; returns once all are held. */
  public static HeldEvents on(int clusterPort) {
    HazelcastInstance member = Hazelcast.getAllHazelcastInstances().stream()
        .filter(h -> h.getCluster().getLocalMember().getAddress().getPort() == clusterPort).findFirst()
        .orElseThrow(() -> new IllegalStateException("no Hazelcast member of this JVM on port " + clusterPort));
    HeldEvents held = new HeldEvents(member);
    Set<Integer> partitions = new HashSet<>();
    int count = member.getPartitionService().getPartitions().size();
    for (int i = 0; partitions.size() < count; i++) {
      String key = "k" + i;
      if (partitions.add(member.getPartitionService().getPartition(key).getPartitionId())) {
        held.scratch.set(key, "hold");
      }
    }
    Eventually.await(Duration.ofSeconds(20), () -> Assertions.assertThat(held.holding)
        .as("event threads held").hasSize(held.threads));
    return held;
  }

  /** Every event thread is still held (none gave up waiting). */
  public boolean stillHeld() {
    return release.getCount() == 1 && holding.size() == threads;
  }

  private void hold() {
    Thread thread = Thread.currentThread();
    if (!holding.add(thread)) {
      return;
    }
    try {
      release.await(LONGEST.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      holding.remove(thread);
    }
  }

  @Override
  public void close() {
    release.countDown();
    scratch.removeEntryListener(registration);
    scratch.destroy();
  }
}
