package dev.gantry.node;

import dev.gantry.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/** What survives about a node across restarts: its labels and maintenance flag. */
public final class PgNodeStore {

  private final Pool pool;

  public PgNodeStore(Pool pool) {
    this.pool = pool;
  }

  /** The stored settings merged with labels given at start (those win); creates the row on first start. */
  public Future<JsonObject> register(String name, JsonObject startLabels) {
    return pool.preparedQuery("INSERT INTO nodes (name, labels) VALUES ($1, $2) "
            + "ON CONFLICT (name) DO UPDATE SET labels = nodes.labels || EXCLUDED.labels "
            + "RETURNING labels, maintenance")
        .execute(Tuple.of(name, startLabels))
        .map(rows -> settings(rows.iterator().next().getJsonObject("labels"), rows.iterator().next().getBoolean("maintenance")))
        .recover(e -> PgErrors.translate(e, ""));
  }

  /** Sets labels and/or maintenance; answers the resulting settings, or null when the node was never registered. */
  public Future<JsonObject> update(String name, JsonObject labels, Boolean maintenance) {
    return pool.preparedQuery("UPDATE nodes SET labels = COALESCE($2, labels), maintenance = COALESCE($3, maintenance), "
            + "updated_at = now() WHERE name = $1 RETURNING labels, maintenance")
        .execute(Tuple.of(name, labels, maintenance))
        .map(rows -> rows.size() == 0 ? null
            : settings(rows.iterator().next().getJsonObject("labels"), rows.iterator().next().getBoolean("maintenance")))
        .recover(e -> PgErrors.translate(e, ""));
  }

  public Future<Boolean> delete(String name) {
    return pool.preparedQuery("DELETE FROM nodes WHERE name = $1").execute(Tuple.of(name))
        .map(rows -> rows.rowCount() > 0).recover(e -> PgErrors.translate(e, ""));
  }

  static JsonObject settings(JsonObject labels, boolean maintenance) {
    return new JsonObject().put("labels", labels).put("maintenance", maintenance);
  }
}
