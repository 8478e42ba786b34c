package dev.gantry.metering;

import dev.gantry.common.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * Takes this node's usage records from {@code metering.usage} and writes them to PostgreSQL through a
 * {@link UsageLedger}: batched, idempotent, retried with backoff, spooled to
 * {@code <data-dir>/usage-spool} while the database is away. On stop it sends or spools what is left.
 */
public final class MeteringVerticle extends VerticleBase {

  public static final long FLUSH_MS = 200;
  public static final int MAX_IN_MEMORY = 50_000;

  private final PgUsageStore store;
  private final Path spoolDir;
  private final int maxInMemory;
  private UsageLedger ledger;
  private long timer = -1;

  public MeteringVerticle(PgUsageStore store, Path dataDir) {
    this(store, dataDir, MAX_IN_MEMORY);
  }

  MeteringVerticle(PgUsageStore store, Path dataDir, int maxInMemory) {
    this.store = store;
    this.spoolDir = dataDir.resolve("usage-spool");
    this.maxInMemory = maxInMemory;
  }

  @Override
  public Future<?> start() {
    ledger = new UsageLedger(vertx, store::insert, spoolDir, maxInMemory);
    MessageConsumer<JsonObject> consumer = vertx.eventBus().localConsumer(Addresses.METERING_USAGE,
        message -> ledger.add(message.body()));
    timer = vertx.setPeriodic(FLUSH_MS, t -> ledger.tick());
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return ledger.drain();
  }
}
