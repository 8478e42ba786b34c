package dev.gantry.model;

import dev.gantry.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Models (deployment specs) in PostgreSQL; answered as the spec's fields plus id, name and timestamps. */
public final class PgModelStore {

  private static final String COLUMNS = "id, name, spec, created_at, updated_at";

  private final Pool pool;

  public PgModelStore(Pool pool) {
    this.pool = pool;
  }

  public Future<List<JsonObject>> list() {
    return pool.query("SELECT " + COLUMNS + " FROM models ORDER BY id").execute()
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          rows.forEach(row -> out.add(toJson(row)));
          return out;
        })
        .recover(e -> PgErrors.translate(e, ""));
  }

  public Future<JsonObject> get(long id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM models WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toJson(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, ""));
  }

  public Future<JsonObject> create(String name, JsonObject spec) {
    return pool.preparedQuery("INSERT INTO models (name, spec) VALUES ($1, $2) RETURNING " + COLUMNS)
        .execute(Tuple.of(name, spec))
        .map(rows -> toJson(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, "a model named '" + name + "' already exists"));
  }

  public Future<JsonObject> update(long id, JsonObject spec) {
    return pool.preparedQuery("UPDATE models SET spec = $2, updated_at = now() WHERE id = $1 RETURNING " + COLUMNS)
        .execute(Tuple.of(id, spec))
        .map(rows -> rows.size() == 0 ? null : toJson(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, ""));
  }

  /**
   * Sets only the replicas of a model that is still autoscaled (the autoscaler's write: a user's change made
   * meanwhile is kept); answers the stored model, or null when it is gone or no longer autoscaled.
   */
  public Future<JsonObject> setAutoscaledReplicas(long id, int replicas) {
    return pool.preparedQuery("UPDATE models SET spec = jsonb_set(spec, '{replicas}', to_jsonb($2::int)), "
            + "updated_at = now() WHERE id = $1 AND jsonb_typeof(spec->'autoscale') = 'object' RETURNING " + COLUMNS)
        .execute(Tuple.of(id, replicas))
        .map(rows -> rows.size() == 0 ? null : toJson(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, ""));
  }

  public Future<Boolean> delete(long id) {
    return pool.preparedQuery("DELETE FROM models WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.rowCount() > 0).recover(e -> PgErrors.translate(e, ""));
  }

  private static JsonObject toJson(Row row) {
    return row.getJsonObject("spec").copy()
        .put("id", row.getLong("id"))
        .put("name", row.getString("name"))
        .put("created_at", row.getOffsetDateTime("created_at").toInstant().toString())
        .put("updated_at", row.getOffsetDateTime("updated_at").toInstant().toString());
  }
}
