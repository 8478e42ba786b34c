package dev.gantry.auth;

import dev.gantry.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * API keys in PostgreSQL. Records carry {@code secret_hash} for the authentication read model;
 * {@link #publicView(JsonObject)} strips it for API answers.
 */
public final class PgApiKeyStore {

  private static final String COLUMNS = "k.id, k.user_id, u.username, k.name, k.description, k.secret_hash, "
      + "k.secret_hint, k.scope, k.allowed_models, k.limits, k.expires_at, k.created_at";
  private static final String FROM = " FROM api_keys k JOIN users u ON u.id = k.user_id";

  private final Pool pool;

  public PgApiKeyStore(Pool pool) {
    this.pool = pool;
  }

  public Future<List<JsonObject>> list() {
    return pool.query("SELECT " + COLUMNS + FROM + " ORDER BY k.created_at").execute()
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          rows.forEach(row -> out.add(toJson(row)));
          return out;
        })
        .recover(e -> PgErrors.translate(e, ""));
  }

  public Future<JsonObject> get(String id) {
    return pool.preparedQuery("SELECT " + COLUMNS + FROM + " WHERE k.id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toJson(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, ""));
  }

  public Future<JsonObject> create(long userId, JsonObject key, String secretHash, String hint, OffsetDateTime expiresAt) {
    JsonArray allowed = key.getJsonArray("allowed_models");
    String[] models = allowed == null ? null : allowed.stream().map(String::valueOf).toArray(String[]::new);
    return pool.preparedQuery("INSERT INTO api_keys (id, user_id, name, description, secret_hash, secret_hint, scope, "
            + "allowed_models, expires_at, limits) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .execute(Tuple.from(new Object[] {key.getString("id"), userId, key.getString("name"),
            key.getString("description", ""), secretHash, hint, key.getString("scope", "*"), models, expiresAt,
            key.getJsonObject("limits")}))
        .compose(v -> get(key.getString("id")))
        .recover(e -> PgErrors.translate(e, "you already have an API key named '" + key.getString("name") + "'"));
  }

  /** Sets or (null) removes a key's limits; null when no such key. */
  public Future<JsonObject> setLimits(String id, JsonObject limits) {
    return pool.preparedQuery("UPDATE api_keys SET limits = $2 WHERE id = $1").execute(Tuple.of(id, limits))
        .compose(rows -> rows.rowCount() == 0 ? Future.<JsonObject>succeededFuture(null) : get(id))
        .recover(e -> PgErrors.translate(e, ""));
  }

  public Future<Boolean> delete(String id) {
    return pool.preparedQuery("DELETE FROM api_keys WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.rowCount() > 0).recover(e -> PgErrors.translate(e, ""));
  }

  /** Ids of the keys a user owns (to revoke them from the read model when the user goes). */
  public Future<List<String>> idsOfUser(long userId) {
    return pool.preparedQuery("SELECT id FROM api_keys WHERE user_id = $1").execute(Tuple.of(userId))
        .map(rows -> {
          List<String> ids = new ArrayList<>();
          rows.forEach(row -> ids.add(row.getString(0)));
          return ids;
        })
        .recover(e -> PgErrors.translate(e, ""));
  }

  public static JsonObject publicView(JsonObject record) {
    JsonObject view = record.copy();
    view.remove("secret_hash");
    view.put("value", ApiKeySecrets.masked(record.getString("id"), view.getString("secret_hint")));
    view.remove("secret_hint");
    return view;
  }

  private static JsonObject toJson(Row row) {
    String[] allowed = row.getArrayOfStrings("allowed_models");
    OffsetDateTime expires = row.getOffsetDateTime("expires_at");
    return new JsonObject()
        .put("id", row.getString("id"))
        .put("user_id", row.getLong("user_id"))
        .put("username", row.getString("username"))
        .put("name", row.getString("name"))
        .put("description", row.getString("description"))
        .put("secret_hash", row.getString("secret_hash"))
        .put("secret_hint", row.getString("secret_hint"))
        .put("scope", row.getString("scope"))
        .put("allowed_models", allowed == null ? null : new JsonArray(Arrays.asList(allowed)))
        .put("limits", row.getValue("limits") instanceof JsonObject limits ? limits : null)
        .put("expires_at", expires == null ? null : expires.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString())
        .put("created_at", row.getOffsetDateTime("created_at").toInstant().toString());
  }
}
