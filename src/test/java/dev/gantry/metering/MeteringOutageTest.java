package dev.gantry.metering;

import static dev.gantry.metering.UsageRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Ids;
import dev.gantry.config.DatabaseUrl;
import dev.gantry.store.Migrations;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Journal → shipper → a real PostgreSQL (one per class, a database per test) that goes away and comes back:
 * no record lost, none twice, no segment left behind.
 */
class MeteringOutageTest {

  private static final Duration WAIT = Duration.ofSeconds(40);

  @TempDir
  Path dataDir;
  private static TestPostgres database;
  private Vertx vertx;
  private Pool pool;
  private SimpleMeterRegistry registry;

  @BeforeAll
  static void startDatabase() {
    database = TestPostgres.start();
  }

  @AfterAll
  static void stopDatabase() {
    database.close();
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    DatabaseUrl url = DatabaseUrl.parse(database.newDatabase("metering"));
    Migrations.apply(vertx, url).await();
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(url.connectOptions()).using(vertx).build();
    registry = new SimpleMeterRegistry();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void journaledRecordsReachTheDatabaseAndShippedSegmentsAreDeleted() throws Exception {
    UsageJournal journal = UsageJournal.open(journalDir(), 1 << 30, 8_192);
    deploy(journal, 100);
    String run = Ids.random(8);

    write(journal, run, 0, 1_000);

    Eventually.await(WAIT, () -> assertThat(count(run)).isEqualTo(1_000));
    journal.rotateIfOlderThan(0);
    Eventually.await(WAIT, () -> assertThat(journal.segments()).isEmpty());
    assertThat(gauge("gantry.usage.journal.pending.records")).isZero();
    assertThat(registry.get("gantry.usage.shipped.records").functionCounter().count()).isEqualTo(1_000);
  }

  @Test
  void recordsWrittenWhileTheDatabaseIsDownWaitInTheJournalAndArriveExactlyOnce() throws Exception {
    UsageJournal journal = UsageJournal.open(journalDir(), 1 << 30, 16_384);
    deploy(journal, 200);
    String run = Ids.random(8);
    write(journal, run, 0, 100);
    Eventually.await(WAIT, () -> assertThat(count(run)).isEqualTo(100));

    database.stop();
    write(journal, run, 100, 3_000);
    Eventually.await(WAIT, () -> assertThat(registry.get("gantry.usage.ship.failures").functionCounter().count()).isPositive());
    assertThat(gauge("gantry.usage.journal.pending.records")).isEqualTo(2_900);
    assertThat(gauge("gantry.usage.journal.oldest.seconds")).isGreaterThanOrEqualTo(0);
    assertThat(journal.segments()).hasSizeGreaterThan(1);

    database.restart();
    write(journal, run, 3_000, 3_100);
    Eventually.await(WAIT, () -> assertThat(count(run)).isEqualTo(3_100));
    journal.rotateIfOlderThan(0);
    Eventually.await(WAIT, () -> assertThat(journal.segments()).isEmpty());
    assertThat(gauge("gantry.usage.journal.pending.records")).isZero();
    assertThat(distinctRequestIds(run)).isEqualTo(3_100);
  }

  @Test
  void aRestartedNodeShipsWhatItsPredecessorLeftAndAnOldSpool() throws Exception {
    String run = Ids.random(8);
    UsageJournal killed = UsageJournal.open(journalDir(), 1 << 30);
    write(killed, run, 0, 500);
    killed.append("0badc0de {\"id\":\"torn".getBytes(StandardCharsets.UTF_8)); // a line the kill cut short
    Path spool = Files.createDirectories(dataDir.resolve("usage-spool"));
    Files.writeString(spool.resolve("usage-1-1.jsonl"), IntStream.range(500, 600)
        .mapToObj(i -> record(run + "-" + i, run).toJson().encode()).collect(Collectors.joining("\n", "", "\n")));

    UsageJournal restarted = UsageJournal.open(journalDir(), 1 << 30);
    deploy(restarted, 100);

    Eventually.await(WAIT, () -> assertThat(count(run)).isEqualTo(600));
    assertThat(spool).isEmptyDirectory();
    restarted.rotateIfOlderThan(0);
    Eventually.await(WAIT, () -> assertThat(restarted.segments()).isEmpty());
    assertThat(registry.get("gantry.usage.journal.skipped.records").functionCounter().count()).isEqualTo(1);
    assertThat(gauge("gantry.usage.journal.pending.records")).isZero();
  }

  private void deploy(UsageJournal journal, int batchSize) {
    vertx.deployVerticle(new MeteringVerticle(new PgUsageStore(pool), journal, dataDir, registry, batchSize)).await();
  }

  private Path journalDir() {
    return dataDir.resolve("usage-journal");
  }

  private static void write(UsageJournal journal, String run, int from, int to) {
    for (int i = from; i < to; i++) {
      journal.record(record(run + "-" + i, run));
    }
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  private long count(String model) {
    return pool.preparedQuery("SELECT count(*) FROM usage_records WHERE model = $1")
        .execute(Tuple.of(model)).await().iterator().next().getLong(0);
  }

  private long distinctRequestIds(String model) {
    return pool.preparedQuery("SELECT count(DISTINCT request_id) FROM usage_records WHERE model = $1")
        .execute(Tuple.of(model)).await().iterator().next().getLong(0);
  }
}
