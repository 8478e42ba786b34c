package dev.gantry.metering;

import dev.gantry.common.UsageRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;

/** The metering internals a benchmark outside this package drives: a journal and a running shipper. */
public final class UsageIngest {

  private UsageIngest() {
  }

  public static byte[] encode(UsageRecord record) {
    return JournalFrame.encode(record);
  }

  public static UsageJournal journal(Path dir, long maxBytes) {
    return UsageJournal.open(dir, maxBytes);
  }

  /** A metering verticle shipping {@code journal} in batches of {@code batchSize}; its meters in its own registry. */
  public static Shipping ship(Vertx vertx, Pool pool, UsageJournal journal, Path dataDir, int batchSize) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    String deployment = vertx.deployVerticle(new MeteringVerticle(new PgUsageStore(pool), journal, dataDir, registry,
        batchSize)).await();
    return new Shipping(vertx, deployment, registry);
  }

  /** A running shipper: what PostgreSQL confirmed, what waits, how old the oldest waiting record is. */
  public record Shipping(Vertx vertx, String deployment, SimpleMeterRegistry registry) {

    public long shipped() {
      return (long) registry.get("gantry.usage.shipped.records").functionCounter().count();
    }

    public long pending() {
      return (long) registry.get("gantry.usage.journal.pending.records").gauge().value();
    }

    public double oldestSeconds() {
      return registry.get("gantry.usage.journal.oldest.seconds").gauge().value();
    }

    public void stop() {
      vertx.undeploy(deployment).await();
    }
  }
}
