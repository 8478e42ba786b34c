package dev.gantry.pool;

import dev.gantry.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Worker pools in PostgreSQL: the spec as JSONB (never the credentials) and the credentials sealed by the
 * cluster's {@code SecretBox} in a column of their own, which only {@link #sealedCredentials} reads.
 */
public final class PgWorkerPoolStore {

  private final Pool pool;

  public PgWorkerPoolStore(Pool pool) {
    this.pool = pool;
  }

  public Future<JsonObject> create(JsonObject spec, String sealedCredentials) {
    return pool.preparedQuery("INSERT INTO worker_pools (name, spec, credentials) VALUES ($1, $2, $3) "
            + "RETURNING name, spec, created_at, updated_at")
        .execute(Tuple.of(spec.getString("name"), spec, sealedCredentials))
        .map(rows -> view(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, "a worker pool named '" + spec.getString("name") + "' exists already"));
  }

  public Future<List<JsonObject>> all() {
    return pool.query("SELECT name, spec, created_at, updated_at FROM worker_pools ORDER BY name").execute()
        .map(PgWorkerPoolStore::views).recover(e -> PgErrors.translate(e, ""));
  }

  /** The pool, or null. */
  public Future<JsonObject> get(String name) {
    return pool.preparedQuery("SELECT name, spec, created_at, updated_at FROM worker_pools WHERE name = $1")
        .execute(Tuple.of(name)).map(rows -> rows.size() == 0 ? null : view(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, ""));
  }

  /** The sealed credentials of a pool, or null. */
  public Future<String> sealedCredentials(String name) {
    return pool.preparedQuery("SELECT credentials FROM worker_pools WHERE name = $1").execute(Tuple.of(name))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("credentials"))
        .recover(e -> PgErrors.translate(e, ""));
  }

  /** Replaces the spec (and the credentials when {@code sealedCredentials} is not null); null when there is no such pool. */
  public Future<JsonObject> update(JsonObject spec, String sealedCredentials) {
    return pool.preparedQuery("UPDATE worker_pools SET spec = $2, credentials = COALESCE($3, credentials), "
            + "updated_at = now() WHERE name = $1 RETURNING name, spec, created_at, updated_at")
        .execute(Tuple.of(spec.getString("name"), spec, sealedCredentials))
        .map(rows -> rows.size() == 0 ? null : view(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, ""));
  }

  public Future<Boolean> delete(String name) {
    return pool.preparedQuery("DELETE FROM worker_pools WHERE name = $1").execute(Tuple.of(name))
        .map(rows -> rows.rowCount() > 0).recover(e -> PgErrors.translate(e, ""));
  }

  private static List<JsonObject> views(RowSet<Row> rows) {
    List<JsonObject> out = new ArrayList<>();
    rows.forEach(row -> out.add(view(row)));
    return out;
  }

  private static JsonObject view(Row row) {
    return row.getJsonObject("spec").copy().put("created_at", row.getOffsetDateTime("created_at").toInstant().toString())
        .put("updated_at", row.getOffsetDateTime("updated_at").toInstant().toString());
  }
}
