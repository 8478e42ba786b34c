package dev.gantry.metering;

import static dev.gantry.metering.UsageRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.common.Ids;
import dev.gantry.common.UsageRecord;
import dev.gantry.config.DatabaseUrl;
import dev.gantry.store.Migrations;
import dev.gantry.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link PgUsageStore#insert} on a real PostgreSQL: a new batch goes in whole by the plain insert; a batch sent
 * again, whole or in part, adds only the records that were not there; a batch the table refuses for another
 * reason writes nothing and fails.
 */
class PgUsageStoreInsertTest {

  private static TestPostgres database;
  private static Vertx vertx;
  private static Pool pool;
  private static PgUsageStore store;

  @BeforeAll
  static void start() {
    database = TestPostgres.start();
    vertx = Vertx.vertx();
    DatabaseUrl url = DatabaseUrl.parse(database.newDatabase("usage_insert"));
    Migrations.apply(vertx, url).await();
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(url.connectOptions()).using(vertx).build();
    store = new PgUsageStore(pool);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    database.close();
  }

  @Test
  void aNewBatchGoesInWhole() {
    String run = Ids.random(8);

    assertThat(store.insert(records(run, 0, 300)).await()).isEqualTo(300);

    assertThat(count(run)).isEqualTo(300);
  }

  @Test
  void aBatchSentAgainAddsOnlyWhatWasNotThere() {
    String run = Ids.random(8);
    assertThat(store.insert(records(run, 0, 100)).await()).isEqualTo(100);

    assertThat(store.insert(records(run, 0, 100)).await()).as("the same batch again").isZero();
    assertThat(count(run)).isEqualTo(100);

    List<UsageRecord> overlapping = records(run, 50, 180);
    assertThat(store.insert(overlapping).await()).as("half old, half new").isEqualTo(80);
    assertThat(count(run)).isEqualTo(180);
    assertThat(distinctIds(run)).isEqualTo(180);
  }

  @Test
  void aBatchRefusedForAnotherReasonWritesNothing() {
    String run = Ids.random(8);
    List<UsageRecord> batch = new ArrayList<>(records(run, 0, 20));
    UsageRecord valid = batch.get(10);
    batch.set(10, new UsageRecord(valid.id(), valid.requestId(), valid.createdAt(), valid.userId(), valid.username(),
        valid.apiKeyId(), valid.model(), valid.instanceId(), valid.nodeName(), valid.gatewayNode(), valid.operation(),
        valid.promptTokens(), valid.completionTokens(), valid.durationMs(), valid.ttftMs(), valid.status(), "lost"));

    assertThatThrownBy(() -> store.insert(batch).await()).isInstanceOf(PgException.class)
        .satisfies(e -> assertThat(((PgException) e).getSqlState()).as("the outcome check").isEqualTo("23514"));

    assertThat(count(run)).isZero();
  }

  private static List<UsageRecord> records(String run, int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> record(run + "-" + i, run)).toList();
  }

  private static long count(String model) {
    return pool.preparedQuery("SELECT count(*) FROM usage_records WHERE model = $1")
        .execute(Tuple.of(model)).await().iterator().next().getLong(0);
  }

  private static long distinctIds(String model) {
    return pool.preparedQuery("SELECT count(DISTINCT id) FROM usage_records WHERE model = $1")
        .execute(Tuple.of(model)).await().iterator().next().getLong(0);
  }
}
