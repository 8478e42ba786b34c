package dev.gantry.store;

import dev.gantry.config.DatabaseUrl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned SQL in {@code db/migration} once per cluster: the node holding the cluster
 * lock migrates, the others wait for the lock and find nothing left to do.
 */
public final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  private static final String LOCK = "gantry.migrations";

  public static Future<Integer> apply(Vertx vertx, DatabaseUrl db) {
    return vertx.sharedData().getLockWithTimeout(LOCK, 120_000)
        .compose(lock -> vertx.executeBlocking(() -> migrate(db), false).eventually(() -> {
          lock.release();
          return Future.succeededFuture();
        }));
  }

  private static int migrate(DatabaseUrl db) {
    Flyway flyway = Flyway.configure()
        .dataSource(db.jdbcUrl(), db.user(), db.password())
        .locations("classpath:db/migration")
        .connectRetries(0)
        .load();
    MigrateResult result = flyway.migrate();
    LOG.info("database migrations [applied: {}] [schema version: {}]", result.migrationsExecuted,
        result.targetSchemaVersion == null ? flyway.info().current().getVersion() : result.targetSchemaVersion);
    return result.migrationsExecuted;
  }

  private Migrations() {
  }
}
