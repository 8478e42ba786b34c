package dev.gantry.route;

import dev.gantry.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Routes or providers in PostgreSQL (tables {@code routes}, {@code providers}: a name and a JSONB spec);
 * answered as the spec's fields plus id, name and timestamps.
 */
public final class PgSpecStore {

  private static final String COLUMNS = "id, name, spec, created_at, updated_at";

  private final Pool pool;
  private final String table;
  private final String noun;

  private PgSpecStore(Pool pool, String table, String noun) {
    this.pool = pool;
    this.table = table;
    this.noun = noun;
  }

  public static PgSpecStore routes(Pool pool) {
    return new PgSpecStore(pool, "routes", "route");
  }

  public static PgSpecStore providers(Pool pool) {
    return new PgSpecStore(pool, "providers", "provider");
  }

  public Future<List<JsonObject>> list() {
    return pool.query("SELECT " + COLUMNS + " FROM " + table + " ORDER BY id").execute()
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          rows.forEach(row -> out.add(toJson(row)));
          return out;
        })
        .recover(e -> PgErrors.translate(e, ""));
  }

  public Future<JsonObject> create(String name, JsonObject spec) {
    return pool.preparedQuery("INSERT INTO " + table + " (name, spec) VALUES ($1, $2) RETURNING " + COLUMNS)
        .execute(Tuple.of(name, spec))
        .map(rows -> toJson(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, "a " + noun + " named '" + name + "' already exists"));
  }

  public Future<JsonObject> update(long id, JsonObject spec) {
    return pool.preparedQuery("UPDATE " + table + " SET spec = $2, updated_at = now() WHERE id = $1 RETURNING " + COLUMNS)
        .execute(Tuple.of(id, spec))
        .map(rows -> rows.size() == 0 ? null : toJson(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, ""));
  }

  public Future<Boolean> delete(long id) {
    return pool.preparedQuery("DELETE FROM " + table + " WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.rowCount() > 0).recover(e -> PgErrors.translate(e, ""));
  }

  private static JsonObject toJson(Row row) {
    JsonObject spec = row.getJsonObject("spec").copy();
    spec.remove("name");
    return spec.put("id", row.getLong("id"))
        .put("name", row.getString("name"))
        .put("created_at", row.getOffsetDateTime("created_at").toInstant().toString())
        .put("updated_at", row.getOffsetDateTime("updated_at").toInstant().toString());
  }
}
