package dev.gantry.limits;

import dev.gantry.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Limits and prices per model or route name ({@code name_limits}): what all callers of that name share. */
public final class PgNameLimitStore {

  private final Pool pool;

  public PgNameLimitStore(Pool pool) {
    this.pool = pool;
  }

  public Future<List<JsonObject>> list() {
    return pool.query("SELECT name, limits, prices, updated_at FROM name_limits ORDER BY name").execute().map(rows -> {
      List<JsonObject> out = new ArrayList<>();
      rows.forEach(row -> out.add(toJson(row)));
      return out;
    }).recover(e -> PgErrors.translate(e, ""));
  }

  /** Sets a name's limits and prices ({@code prices} null: none). */
  public Future<JsonObject> put(String name, JsonObject limits, JsonObject prices) {
    return pool.preparedQuery("INSERT INTO name_limits (name, limits, prices) VALUES ($1, $2, $3) ON CONFLICT (name) "
            + "DO UPDATE SET limits = EXCLUDED.limits, prices = EXCLUDED.prices, updated_at = now() "
            + "RETURNING name, limits, prices, updated_at")
        .execute(Tuple.of(name, limits, prices)).map(rows -> toJson(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, ""));
  }

  public Future<Boolean> delete(String name) {
    return pool.preparedQuery("DELETE FROM name_limits WHERE name = $1").execute(Tuple.of(name))
        .map(rows -> rows.rowCount() > 0).recover(e -> PgErrors.translate(e, ""));
  }

  private static JsonObject toJson(Row row) {
    Object limits = row.getValue("limits");
    return new JsonObject().put("name", row.getString("name"))
        .put("limits", limits instanceof JsonObject json ? json : new JsonObject())
        .put("prices", row.getValue("prices") instanceof JsonObject prices ? prices : null)
        .put("updated_at", row.getOffsetDateTime("updated_at").toInstant().toString());
  }
}
