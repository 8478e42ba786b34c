package dev.gantry.metering;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;

/**
 * Ships this node's {@link UsageJournal} to PostgreSQL through a {@link UsageShipper} (every
 * {@link #FLUSH_MS} ms what arrived since, as one batch, and at once after each batch while there is a backlog), after moving an earlier
 * version's {@code <data-dir>/usage-spool} into the journal. Exports the lag as metrics. Stopping it
 * loses nothing: what is not shipped stays in the journal for the next start.
 */
public final class MeteringVerticle extends VerticleBase {

  public static final long FLUSH_MS = 100;

  private final PgUsageStore store;
  private final UsageJournal journal;
  private final Path spoolDir;
  private final MeterRegistry registry;
  private final int batchSize;
  private UsageShipper shipper;
  private long timer = -1;

  public MeteringVerticle(PgUsageStore store, UsageJournal journal, Path dataDir, MeterRegistry registry) {
    this(store, journal, dataDir, registry, UsageShipper.BATCH);
  }

  MeteringVerticle(PgUsageStore store, UsageJournal journal, Path dataDir, MeterRegistry registry, int batchSize) {
    this.store = store;
    this.journal = journal;
    this.spoolDir = dataDir.resolve("usage-spool");
    this.registry = registry;
    this.batchSize = batchSize;
  }

  @Override
  public Future<?> start() {
    shipper = new UsageShipper(vertx, journal, store::insert, batchSize);
    register();
    return vertx.executeBlocking(() -> LegacyUsageSpool.moveInto(spoolDir, journal))
        .onSuccess(moved -> timer = vertx.setPeriodic(FLUSH_MS, t -> shipper.tick()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    shipper.stop();
    journal.close();
    return Future.succeededFuture();
  }

  private void register() {
    UsageShipper s = shipper;
    Gauge.builder("gantry.usage.journal.pending.records", s, UsageShipper::pendingRecords)
        .description("usage records in the local journal that PostgreSQL has not confirmed yet").register(registry);
    Gauge.builder("gantry.usage.journal.oldest.seconds", s, UsageShipper::oldestSeconds)
        .description("age of the oldest usage record read from the journal and not yet in PostgreSQL").register(registry);
    Gauge.builder("gantry.usage.journal.disk.bytes", journal, UsageJournal::diskBytes)
        .description("bytes the usage journal's segments take on disk").register(registry);
    FunctionCounter.builder("gantry.usage.journal.written.records", journal, j -> j.appended.sum())
        .description("usage records appended to the journal").register(registry);
    FunctionCounter.builder("gantry.usage.journal.dropped.records", journal, j -> j.dropped.sum())
        .description("usage records lost because the journal was full or could not be written").register(registry);
    FunctionCounter.builder("gantry.usage.journal.skipped.records", s, x -> x.skipped.sum())
        .description("journal lines skipped as torn or damaged").register(registry);
    FunctionCounter.builder("gantry.usage.shipped.records", s, x -> x.shipped.sum())
        .description("usage records PostgreSQL confirmed (including ones it already had)").register(registry);
    FunctionCounter.builder("gantry.usage.ship.failures", s, x -> x.failedBatches.sum())
        .description("usage batches PostgreSQL refused or did not answer (retried)").register(registry);
  }
}
