package dev.gantry.auth;

import dev.gantry.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** User groups in PostgreSQL: name, members (user ids), the model/route names they may call, their limits. */
public final class PgGroupStore {

  private static final String COLUMNS = "id, name, description, members, allowed_models, limits, created_at, updated_at";

  private final Pool pool;

  public PgGroupStore(Pool pool) {
    this.pool = pool;
  }

  public Future<List<JsonObject>> list() {
    return pool.query("SELECT " + COLUMNS + " FROM groups ORDER BY id").execute().map(rows -> {
      List<JsonObject> out = new ArrayList<>();
      rows.forEach(row -> out.add(toJson(row)));
      return out;
    }).recover(e -> PgErrors.translate(e, ""));
  }

  public Future<JsonObject> get(long id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM groups WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toJson(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, ""));
  }

  public Future<JsonObject> create(JsonObject group) {
    return pool.preparedQuery("INSERT INTO groups (name, description, members, allowed_models, limits) "
            + "VALUES ($1, $2, $3, $4, $5) RETURNING " + COLUMNS)
        .execute(Tuple.of(group.getString("name"), group.getString("description", ""), members(group, new Long[0]),
            names(group, new String[0]), group.getJsonObject("limits")))
        .map(rows -> toJson(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, "a group named '" + group.getString("name") + "' already exists"));
  }

  /** Applies the fields present in {@code changes} ({@code limits: null} removes the limits); null when no such group. */
  public Future<JsonObject> update(long id, JsonObject changes) {
    return pool.preparedQuery("UPDATE groups SET name = COALESCE($2, name), description = COALESCE($3, description), "
            + "members = COALESCE($4, members), allowed_models = COALESCE($5, allowed_models), "
            + "limits = CASE WHEN $6 THEN $7 ELSE limits END, updated_at = now() WHERE id = $1 RETURNING " + COLUMNS)
        .execute(Tuple.from(new Object[] {id, changes.getString("name"), changes.getString("description"),
            members(changes, null), names(changes, null), changes.containsKey("limits"), changes.getJsonObject("limits")}))
        .map(rows -> rows.size() == 0 ? null : toJson(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, "a group named '" + changes.getString("name") + "' already exists"));
  }

  public Future<Boolean> delete(long id) {
    return pool.preparedQuery("DELETE FROM groups WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.rowCount() > 0).recover(e -> PgErrors.translate(e, ""));
  }

  private static Long[] members(JsonObject group, Long[] absent) {
    JsonArray members = group.getJsonArray("members");
    return members == null ? absent : members.stream().map(m -> ((Number) m).longValue()).distinct().toArray(Long[]::new);
  }

  private static String[] names(JsonObject group, String[] absent) {
    JsonArray names = group.getJsonArray("allowed_models");
    return names == null ? absent : names.stream().map(String::valueOf).distinct().toArray(String[]::new);
  }

  static JsonObject toJson(Row row) {
    Object limits = row.getValue("limits");
    return new JsonObject()
        .put("id", row.getLong("id"))
        .put("name", row.getString("name"))
        .put("description", row.getString("description"))
        .put("members", new JsonArray(Arrays.asList(row.getArrayOfLongs("members"))))
        .put("allowed_models", new JsonArray(Arrays.asList(row.getArrayOfStrings("allowed_models"))))
        .put("limits", limits instanceof JsonObject json ? json : null)
        .put("created_at", row.getOffsetDateTime("created_at").toInstant().toString())
        .put("updated_at", row.getOffsetDateTime("updated_at").toInstant().toString());
  }
}
