package dev.gantry.bench;

import dev.gantry.common.UsageRecord;
import dev.gantry.config.DatabaseUrl;
import dev.gantry.metering.UsageIngest;
import dev.gantry.metering.UsageJournal;
import dev.gantry.store.Migrations;
import dev.gantry.testing.Ports;
import dev.gantry.testing.TestFiles;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Usage ingest, printed, not asserted: (1) the cost of journaling one record on the serving thread
 * (encode + one write), against the event-bus hand-off of the previous design, measured in the same
 * run; (2) records/s from a journal backlog into PostgreSQL (default settings, fsync on) with the
 * shipper's batches of 4,000, against batches of 500 (the previous ledger's size); (3) the lag while
 * records arrive at a fixed rate and how long the backlog takes to drain after. Run with
 * {@code scripts/bench-usage.sh}.
 */
public final class UsageIngestBench {

  private static final int WRITES = Integer.getInteger("bench.writes", 300_000);
  private static final int BACKLOG = Integer.getInteger("bench.backlog", 200_000);
  private static final int RATE = Integer.getInteger("bench.rate", 20_000);
  private static final int RATE_SECONDS = Integer.getInteger("bench.rate.seconds", 15);

  private UsageIngestBench() {
  }

  public static void main(String[] args) throws Exception {
    Path work = TestFiles.tempDir("gantry-usage-bench-");
    int port = Ports.free();
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPort(port).setDataDirectory(work.resolve("pg"))
        .setServerConfig("listen_addresses", "127.0.0.1").start()) {
      Vertx vertx = Vertx.vertx();
      System.out.printf(Locale.ROOT, "usage ingest bench: %d cpus, java %s, postgresql %s (default settings, fsync on)%n",
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), version(postgres));
      writePath(vertx, work);
      System.out.println();
      System.out.printf(Locale.ROOT, "shipping a journal backlog of %d records into PostgreSQL (4 batches in flight)%n", BACKLOG);
      shipping(vertx, postgres, port, work, 4_000, false);
      for (int batch : new int[] {500, 4_000, 500, 4_000}) {
        shipping(vertx, postgres, port, work, batch, true);
      }
      lag(vertx, postgres, port, work);
      vertx.close().await();
    } finally {
      TestFiles.deleteRecursively(work);
    }
  }

  private static void writePath(Vertx vertx, Path work) throws Exception {
    UsageRecord sample = record(0);
    LongAdder received = new LongAdder();
    vertx.eventBus().<JsonObject>localConsumer("bench.usage", m -> received.increment()).completion().await();
    DeliveryOptions local = new DeliveryOptions().setLocalOnly(true);
    System.out.println();
    System.out.println("journal write path (serving thread: CPU us per record, records/s on one thread)");
    for (int round = 0; round < 2; round++) {
      measure("baseline: event-bus send (old)", () -> vertx.eventBus().send("bench.usage", sample.toJson(), local));
      UsageJournal journal = UsageIngest.journal(work.resolve("journal-" + round), Long.MAX_VALUE);
      measure("encode only", () -> UsageIngest.encode(sample));
      measure("journal: encode + write", () -> journal.record(sample));
      journal.close();
    }
  }

  private static void measure(String name, Runnable action) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < WRITES / 10; i++) {
      action.run();
    }
    long cpu = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    for (int i = 0; i < WRITES; i++) {
      action.run();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuMicros = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / WRITES;
    System.out.printf(Locale.ROOT, "  %-34s %8.2f us cpu %12.0f records/s%n", name, cpuMicros, WRITES / seconds);
  }

  private static void shipping(Vertx vertx, EmbeddedPostgres postgres, int port, Path work, int batch, boolean print)
      throws Exception {
    Pool pool = freshDatabase(vertx, postgres, port, "ship_" + batch);
    UsageJournal journal = UsageIngest.journal(work.resolve("ship-" + System.nanoTime()), Long.MAX_VALUE);
    for (int i = 0; i < BACKLOG; i++) {
      journal.record(record(i));
    }
    journal.close();
    long start = System.nanoTime();
    UsageIngest.Shipping shipping = UsageIngest.ship(vertx, pool, journal, work, batch);
    waitForShipped(shipping, BACKLOG, 120);
    double seconds = (System.nanoTime() - start) / 1e9;
    long count = rows(pool);
    if (print) {
      System.out.printf(Locale.ROOT, "  batches of %5d: %8.0f records/s (%d rows in PostgreSQL, %.1f s)%n",
          batch, count / seconds, count, seconds);
    }
    shipping.stop();
    pool.close().await();
  }

  private static void lag(Vertx vertx, EmbeddedPostgres postgres, int port, Path work) throws Exception {
    Pool pool = freshDatabase(vertx, postgres, port, "lag");
    UsageJournal journal = UsageIngest.journal(work.resolve("lag"), Long.MAX_VALUE);
    UsageIngest.Shipping shipping = UsageIngest.ship(vertx, pool, journal, work, 4_000);
    System.out.println();
    System.out.printf(Locale.ROOT, "lag at %d records/s for %d s (one writer thread, written every 1 ms)%n", RATE,
        RATE_SECONDS);
    long total = (long) RATE * RATE_SECONDS;
    long start = System.nanoTime();
    long maxPending = 0;
    double maxOldest = 0;
    long written = 0;
    while (written < total) {
      long due = Math.min(total, (System.nanoTime() - start) * RATE / 1_000_000_000L);
      for (; written < due; written++) {
        journal.record(record((int) written));
      }
      maxPending = Math.max(maxPending, shipping.pending());
      maxOldest = Math.max(maxOldest, shipping.oldestSeconds());
      LockSupport.parkNanos(1_000_000);
    }
    double writeSeconds = (System.nanoTime() - start) / 1e9;
    long stopped = System.nanoTime();
    long pendingAtEnd = shipping.pending();
    waitForShipped(shipping, total, 120);
    System.out.printf(Locale.ROOT, "  offered %.0f records/s; max pending %d, max oldest %.2f s; pending when load stopped "
            + "%d; all %d in PostgreSQL %.2f s after the load stopped%n", total / writeSeconds, maxPending, maxOldest,
        pendingAtEnd, rows(pool), (System.nanoTime() - stopped) / 1e9);
    shipping.stop();
    pool.close().await();
  }

  private static Pool freshDatabase(Vertx vertx, EmbeddedPostgres postgres, int port, String name) throws Exception {
    String database = name + "_" + Long.toString(System.nanoTime(), 36);
    try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
      connection.createStatement().execute("CREATE DATABASE " + database);
    }
    DatabaseUrl url = DatabaseUrl.parse("postgresql://postgres@127.0.0.1:" + port + "/" + database);
    Migrations.apply(vertx, url).await();
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(16)).connectingTo(url.connectOptions()).using(vertx).build();
  }

  private static void waitForShipped(UsageIngest.Shipping shipping, long expected, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (shipping.shipped() < expected && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  private static long rows(Pool pool) {
    return pool.query("SELECT count(*) FROM usage_records").execute().await().iterator().next().getLong(0);
  }

  private static String version(EmbeddedPostgres postgres) throws Exception {
    try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
      var rows = connection.createStatement().executeQuery("SHOW server_version");
      rows.next();
      return rows.getString(1);
    }
  }

  private static UsageRecord record(int i) {
    return new UsageRecord("bench-" + System.nanoTime() + "-" + i, "req-" + i, Instant.now(), 1, "admin", "key-1",
        "bench-model", "instance-1", "node-1", "node-1", "chat.completions", 12, 34, 56, 7L, 200, "ok");
  }
}
