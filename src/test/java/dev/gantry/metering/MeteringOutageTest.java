package dev.gantry.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Addresses;
import dev.gantry.common.Ids;
import dev.gantry.config.DatabaseUrl;
import dev.gantry.store.Migrations;
import dev.gantry.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metering verticle against a real PostgreSQL that goes away and comes back: no record lost, none twice. */
class MeteringOutageTest {

  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  @TempDir
  Path dataDir;
  private TestPostgres database;
  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  void start() throws Exception {
    database = TestPostgres.start();
    vertx = Vertx.vertx();
    DatabaseUrl url = DatabaseUrl.parse(database.newDatabase("metering"));
    Migrations.apply(vertx, url).await();
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(4)).connectingTo(url.connectOptions()).using(vertx).build();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    database.close();
  }

  @Test
  void recordsSentWhileTheDatabaseIsDownAreSpooledAndReplayedExactlyOnce() throws Exception {
    vertx.deployVerticle(new MeteringVerticle(new PgUsageStore(pool), dataDir, 200)).await();
    String run = Ids.random(8);
    send(run, 0, 100);
    assertThat(waitFor(() -> count(run), n -> n == 100)).isEqualTo(100);

    database.stop();
    send(run, 100, 1_000);
    assertThat(waitFor(() -> spooledFiles(), n -> n > 0)).isPositive();
    database.restart();
    send(run, 1_000, 1_100);
    send(run, 0, 10);

    assertThat(waitFor(() -> count(run), n -> n == 1_100)).isEqualTo(1_100);
    assertThat(waitFor(this::spooledFiles, n -> n == 0)).isZero();
  }

  @Test
  void recordsStillPendingWhenTheVerticleStopsAreSpooledAndReplayedByTheNextOne() throws Exception {
    String deployment = vertx.deployVerticle(new MeteringVerticle(new PgUsageStore(pool), dataDir, 10_000)).await();
    String run = Ids.random(8);
    database.stop();
    send(run, 0, 300);
    vertx.undeploy(deployment).await();
    assertThat(spooledFiles()).isPositive();

    database.restart();
    vertx.deployVerticle(new MeteringVerticle(new PgUsageStore(pool), dataDir, 10_000)).await();

    assertThat(waitFor(() -> count(run), n -> n == 300)).isEqualTo(300);
    assertThat(waitFor(this::spooledFiles, n -> n == 0)).isZero();
  }

  private void send(String run, int from, int to) {
    for (int i = from; i < to; i++) {
      vertx.eventBus().send(Addresses.METERING_USAGE, record(run + "-" + i, run), LOCAL);
    }
  }

  private static JsonObject record(String id, String model) {
    return new JsonObject().put("id", id).put("request_id", id).put("created_at", Instant.now().toString())
        .put("user_id", 1).put("username", "admin").put("api_key_id", null).put("model", model)
        .put("instance_id", "i-1").put("node_name", "n1").put("gateway_node", "n1").put("operation", "chat.completions")
        .put("prompt_tokens", 3).put("completion_tokens", 4).put("duration_ms", 12).put("ttft_ms", null)
        .put("status", 200).put("outcome", "ok");
  }

  private long count(String model) {
    try {
      return pool.preparedQuery("SELECT count(*) FROM usage_records WHERE model = $1")
          .execute(Tuple.of(model)).await().iterator().next().getLong(0);
    } catch (Exception e) {
      return -1;
    }
  }

  private long spooledFiles() {
    Path spool = dataDir.resolve("usage-spool");
    if (!Files.isDirectory(spool)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(spool)) {
      return files.filter(f -> f.toString().endsWith(".jsonl")).count();
    } catch (IOException e) {
      return -1;
    }
  }

  private static long waitFor(LongSupplier probe, LongPredicate done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    long value = probe.getAsLong();
    while (!done.test(value) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      value = probe.getAsLong();
    }
    return value;
  }
}
