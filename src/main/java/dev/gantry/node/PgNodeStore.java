package dev.gantry.node;

import dev.gantry.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/** What survives about a node across restarts: its labels, maintenance and drain flags. */
public final class PgNodeStore {

  private final Pool pool;

  public PgNodeStore(Pool pool) {
    this.pool = pool;
  }

  /** The stored settings merged with labels given at start (those win); creates the row on first start. */
  public Future<JsonObject> register(String name, JsonObject startLabels) {
    return pool.preparedQuery("INSERT INTO nodes (name, labels) VALUES ($1, $2) "
            + "ON CONFLICT (name) DO UPDATE SET labels = nodes.labels || EXCLUDED.labels "
            + "RETURNING labels, maintenance, drain")
        .execute(Tuple.of(name, startLabels))
        .map(rows -> settings(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, ""));
  }

  /**
   * Sets labels, maintenance and/or drain (null: unchanged); leaving maintenance ends a drain. Answers the
   * resulting settings, or null when the node was never registered.
   */
  public Future<JsonObject> update(String name, JsonObject labels, Boolean maintenance, Boolean drain) {
    return pool.preparedQuery("UPDATE nodes SET labels = COALESCE($2, labels), maintenance = COALESCE($3, maintenance), "
            + "drain = COALESCE($3, maintenance) AND COALESCE($4, drain), updated_at = now() WHERE name = $1 "
            + "RETURNING labels, maintenance, drain")
        .execute(Tuple.of(name, labels, maintenance, drain))
        .map(rows -> rows.size() == 0 ? null : settings(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, ""));
  }

  public Future<Boolean> delete(String name) {
    return pool.preparedQuery("DELETE FROM nodes WHERE name = $1").execute(Tuple.of(name))
        .map(rows -> rows.rowCount() > 0).recover(e -> PgErrors.translate(e, ""));
  }

  static JsonObject settings(io.vertx.sqlclient.Row row) {
    return new JsonObject().put("labels", row.getJsonObject("labels")).put("maintenance", row.getBoolean("maintenance"))
        .put("drain", row.getBoolean("drain"));
  }
}
