package dev.gantry.metering;

import static dev.gantry.metering.UsageRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.UsageRecord;
import dev.gantry.testing.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipper with a database stand-in that refuses, then accepts: bounded memory, every record once, segments deleted. */
class UsageShipperTest {

  private static final int BATCH = 100;

  @TempDir
  Path dir;
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void whileTheDatabaseRefusesOnlyTheFirstBatchesAreHeldAndNothingNewIsRead() {
    UsageJournal journal = UsageJournal.open(dir, 1 << 30, 20_000);
    IntStream.range(0, 5_000).forEach(i -> journal.record(record("r" + i, "m")));
    Set<String> offered = ConcurrentHashMap.newKeySet();
    AtomicInteger attempts = new AtomicInteger();
    AtomicBoolean up = new AtomicBoolean(false);
    Set<String> stored = ConcurrentHashMap.newKeySet();
    AtomicInteger duplicates = new AtomicInteger();
    UsageShipper shipper = new UsageShipper(vertx, journal, batch -> {
      attempts.incrementAndGet();
      batch.forEach(r -> offered.add(r.id()));
      if (!up.get()) {
        return Future.failedFuture("database down");
      }
      batch.forEach(r -> {
        if (!stored.add(r.id())) {
          duplicates.incrementAndGet();
        }
      });
      return Future.succeededFuture(batch.size());
    }, BATCH);
    long timer = vertx.setPeriodic(10, t -> shipper.tick());

    Eventually.await(Duration.ofSeconds(20), () -> assertThat(attempts.get()).isGreaterThanOrEqualTo(5));
    assertThat(offered).hasSizeLessThanOrEqualTo(UsageShipper.MAX_IN_FLIGHT * BATCH);
    assertThat(shipper.pendingRecords()).isEqualTo(5_000);
    assertThat(shipper.failedBatches.sum()).isPositive();

    up.set(true);
    Eventually.await(Duration.ofSeconds(30), () -> assertThat(stored).hasSize(5_000));
    journal.rotateIfOlderThan(0);
    Eventually.await(Duration.ofSeconds(30), () -> assertThat(journal.segments()).isEmpty());
    vertx.cancelTimer(timer);

    assertThat(duplicates.get()).isZero();
    assertThat(shipper.pendingRecords()).isZero();
    assertThat(journal.diskBytes()).isZero();
  }

  @Test
  void batchesNeverExceedTheBatchSizeAndKeepJournalOrderWithinASegment() {
    UsageJournal journal = UsageJournal.open(dir, 1 << 30);
    IntStream.range(0, 1_000).forEach(i -> journal.record(record(String.format("r%04d", i), "m")));
    List<List<UsageRecord>> batches = new java.util.concurrent.CopyOnWriteArrayList<>();
    UsageShipper shipper = new UsageShipper(vertx, journal, batch -> {
      batches.add(batch);
      return Future.succeededFuture(batch.size());
    }, BATCH);
    long timer = vertx.setPeriodic(10, t -> shipper.tick());

    Eventually.await(Duration.ofSeconds(20), () -> assertThat(shipper.shipped.sum()).isEqualTo(1_000));
    vertx.cancelTimer(timer);

    assertThat(batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(BATCH));
    assertThat(batches.stream().flatMap(List::stream).map(UsageRecord::id).toList())
        .isEqualTo(IntStream.range(0, 1_000).mapToObj(i -> String.format("r%04d", i)).toList());
  }

  @Test
  void onceCaughtUpWhatArrivesAfterwardsWaitsForTheNextTickAndGoesOutAsOneBatch() {
    UsageJournal journal = UsageJournal.open(dir, 1 << 30);
    IntStream.range(0, 10).forEach(i -> journal.record(record("a" + i, "m")));
    List<Integer> sizes = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<io.vertx.core.Promise<Integer>> pending = new java.util.concurrent.CopyOnWriteArrayList<>();
    io.vertx.core.Context context = vertx.getOrCreateContext();
    UsageShipper shipper = new UsageShipper(vertx, journal, batch -> {
      sizes.add(batch.size());
      io.vertx.core.Promise<Integer> promise = io.vertx.core.Promise.promise();
      pending.add(promise);
      return promise.future();
    }, 1_000);

    context.runOnContext(v -> shipper.tick());
    Eventually.await(Duration.ofSeconds(10), () -> assertThat(sizes).containsExactly(10));
    IntStream.range(0, 100).forEach(i -> journal.record(record("b" + i, "m")));
    context.runOnContext(v -> pending.get(0).complete(10));
    Eventually.await(Duration.ofSeconds(10), () -> assertThat(shipper.shipped.sum()).isEqualTo(10));
    IntStream.range(0, 190).forEach(i -> journal.record(record("c" + i, "m")));
    assertThat(sizes).as("no read between the insert's answer and the next tick").containsExactly(10);

    context.runOnContext(v -> shipper.tick());
    Eventually.await(Duration.ofSeconds(10), () -> assertThat(sizes).containsExactly(10, 290));
    context.runOnContext(v -> pending.get(1).complete(290));
    Eventually.await(Duration.ofSeconds(10), () -> assertThat(shipper.pendingRecords()).isZero());
  }
  @Test
  void recordsOfSeveralThreadsLanesGoOutTogetherAndTheirSegmentsAreDeletedOnceClosed() throws Exception {
    UsageJournal journal = UsageJournal.open(dir, 1 << 30);
    Thread[] writers = new Thread[3];
    for (int t = 0; t < writers.length; t++) {
      String lane = "t" + t;
      writers[t] = new Thread(() -> IntStream.range(0, 50).forEach(i -> journal.record(record(lane + "-" + i, "m"))));
      writers[t].start();
    }
    for (Thread writer : writers) {
      writer.join();
    }
    assertThat(journal.openSequences()).as("one open segment per writing thread").hasSize(3);
    List<List<UsageRecord>> batches = new java.util.concurrent.CopyOnWriteArrayList<>();
    UsageShipper shipper = new UsageShipper(vertx, journal, batch -> {
      batches.add(batch);
      return Future.succeededFuture(batch.size());
    }, 1_000);
    io.vertx.core.Context context = vertx.getOrCreateContext();

    context.runOnContext(v -> shipper.tick());
    Eventually.await(Duration.ofSeconds(10), () -> assertThat(shipper.shipped.sum()).isEqualTo(150));
    assertThat(batches).as("one read takes every lane's records").hasSize(1);
    assertThat(batches.get(0)).extracting(UsageRecord::id).doesNotHaveDuplicates()
        .containsAll(IntStream.range(0, 50).mapToObj(i -> "t1-" + i).toList());
    assertThat(journal.segments()).as("open segments stay").hasSize(3);

    journal.rotateIfOlderThan(0);
    context.runOnContext(v -> shipper.tick());
    Eventually.await(Duration.ofSeconds(10), () -> assertThat(journal.segments()).isEmpty());
    assertThat(shipper.shipped.sum()).as("nothing shipped twice").isEqualTo(150);
    assertThat(journal.diskBytes()).isZero();
  }
}
