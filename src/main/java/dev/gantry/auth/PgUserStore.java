package dev.gantry.auth;

import dev.gantry.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Users in PostgreSQL. Answers users as API JSON (never the password hash). */
public final class PgUserStore {

  private static final String COLUMNS =
      "id, username, full_name, email, role, active, source, created_at, updated_at, sessions_valid_after, "
      + "password_change_required, allowed_models, limits";

  public record Credentials(JsonObject user, String passwordHash) {
  }

  private final Pool pool;

  public PgUserStore(Pool pool) {
    this.pool = pool;
  }

  public Future<List<JsonObject>> list() {
    return pool.query("SELECT " + COLUMNS + " FROM users ORDER BY id").execute()
        .map(PgUserStore::toList).recover(e -> PgErrors.translate(e, ""));
  }

  public Future<JsonObject> get(long id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM users WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toJson(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, ""));
  }

  public Future<Credentials> credentials(String username) {
    return pool.preparedQuery("SELECT " + COLUMNS + ", password_hash FROM users WHERE username = $1")
        .execute(Tuple.of(username))
        .map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row row = rows.iterator().next();
          return new Credentials(toJson(row), row.getString("password_hash"));
        })
        .recover(e -> PgErrors.translate(e, ""));
  }

  /** Inserts a user; a taken username is a 409. */
  public Future<JsonObject> create(JsonObject user, String passwordHash) {
    return pool.preparedQuery("INSERT INTO users (username, full_name, email, password_hash, role, active, source) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING " + COLUMNS)
        .execute(Tuple.of(user.getString("username"), user.getString("full_name", ""), user.getString("email"),
            passwordHash, user.getString("role", "user"), user.getBoolean("active", true), user.getString("source", "local")))
        .map(rows -> toJson(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, "a user named '" + user.getString("username") + "' already exists"));
  }

  /**
   * Creates the user only if the name is free; answers null when it already existed (idempotent bootstrap).
   * With {@code changeRequired} the user's sessions may do nothing but choose a new password.
   */
  public Future<JsonObject> createIfAbsent(JsonObject user, String passwordHash, boolean changeRequired) {
    return pool.preparedQuery("INSERT INTO users (username, full_name, password_hash, role, password_change_required) "
            + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO NOTHING RETURNING " + COLUMNS)
        .execute(Tuple.of(user.getString("username"), user.getString("full_name", ""), passwordHash, user.getString("role"),
            changeRequired))
        .map(rows -> rows.size() == 0 ? null : toJson(rows.iterator().next()));
  }

  /**
   * Creates the user of an OpenID Connect identity at its first sign-in, and at every later one refreshes
   * its name, email and role from the provider's claims. The user name is taken once, at creation; one
   * already used by another account is a 409.
   */
  public Future<JsonObject> upsertOidc(String issuer, OidcIdentity identity) {
    return pool.preparedQuery("INSERT INTO users (username, full_name, email, role, source, oidc_issuer, oidc_subject) "
            + "VALUES ($1, $2, $3, $4, 'oidc', $5, $6) ON CONFLICT (oidc_issuer, oidc_subject) DO UPDATE SET "
            + "full_name = COALESCE(NULLIF(EXCLUDED.full_name, ''), users.full_name), "
            + "email = COALESCE(EXCLUDED.email, users.email), role = EXCLUDED.role, updated_at = now() "
            + "RETURNING " + COLUMNS)
        .execute(Tuple.of(identity.username(), identity.fullName(), identity.email(), identity.role(), issuer,
            identity.subject()))
        .map(rows -> toJson(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, "the user name '" + identity.username()
            + "' already belongs to another Gantry account; ask an administrator to rename or remove it"));
  }

  /**
   * Applies the given fields (full_name, email, role, active, password hash); null when no such user. A new
   * password clears {@code password_change_required}; {@code sessionsEndBefore} (may be null) ends every
   * session issued before it.
   */
  public Future<JsonObject> update(long id, JsonObject changes, String passwordHash, Instant sessionsEndBefore) {
    return pool.preparedQuery("UPDATE users SET "
            + "full_name = COALESCE($2, full_name), email = COALESCE($3, email), role = COALESCE($4, role), "
            + "active = COALESCE($5, active), password_hash = COALESCE($6, password_hash), "
            + "password_change_required = password_change_required AND $6::text IS NULL, "
            + "sessions_valid_after = COALESCE($7, sessions_valid_after), "
            + "allowed_models = CASE WHEN $8 THEN $9 ELSE allowed_models END, "
            + "limits = CASE WHEN $10 THEN $11 ELSE limits END, updated_at = now() "
            + "WHERE id = $1 RETURNING " + COLUMNS)
        .execute(Tuple.from(new Object[] {id, changes.getString("full_name"), changes.getString("email"),
            changes.getString("role"), changes.getBoolean("active"), passwordHash, at(sessionsEndBefore),
            changes.containsKey("allowed_models"), names(changes.getJsonArray("allowed_models")),
            changes.containsKey("limits"), changes.getJsonObject("limits")}))
        .map(rows -> rows.size() == 0 ? null : toJson(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, ""));
  }

  /** Ends every session of the user issued before {@code instant}; null when no such user. */
  public Future<JsonObject> endSessions(long id, Instant instant) {
    return pool.preparedQuery("UPDATE users SET sessions_valid_after = $2, updated_at = now() WHERE id = $1 RETURNING "
            + COLUMNS).execute(Tuple.of(id, at(instant)))
        .map(rows -> rows.size() == 0 ? null : toJson(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, ""));
  }

  private static OffsetDateTime at(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  public Future<Boolean> delete(long id) {
    return pool.preparedQuery("DELETE FROM users WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.rowCount() > 0).recover(e -> PgErrors.translate(e, ""));
  }

  public Future<Long> countActiveAdmins() {
    return pool.query("SELECT count(*) FROM users WHERE role = 'admin' AND active").execute()
        .map(rows -> rows.iterator().next().getLong(0)).recover(e -> PgErrors.translate(e, ""));
  }

  private static List<JsonObject> toList(RowSet<Row> rows) {
    List<JsonObject> out = new ArrayList<>();
    rows.forEach(row -> out.add(toJson(row)));
    return out;
  }

  private static String[] names(io.vertx.core.json.JsonArray names) {
    return names == null ? null : names.stream().map(String::valueOf).distinct().toArray(String[]::new);
  }

  static JsonObject toJson(Row row) {
    String[] allowed = row.getArrayOfStrings("allowed_models");
    Object limits = row.getValue("limits");
    return new JsonObject()
        .put("allowed_models", allowed == null ? null : new io.vertx.core.json.JsonArray(java.util.Arrays.asList(allowed)))
        .put("limits", limits instanceof JsonObject json ? json : null)
        .put("id", row.getLong("id"))
        .put("username", row.getString("username"))
        .put("full_name", row.getString("full_name"))
        .put("email", row.getString("email"))
        .put("role", row.getString("role"))
        .put("active", row.getBoolean("active"))
        .put("source", row.getString("source"))
        .put("created_at", row.getOffsetDateTime("created_at").toInstant().toString())
        .put("updated_at", row.getOffsetDateTime("updated_at").toInstant().toString())
        .put("password_change_required", row.getBoolean("password_change_required"))
        .put("sessions_valid_after", row.getOffsetDateTime("sessions_valid_after") == null ? null
            : row.getOffsetDateTime("sessions_valid_after").toInstant().toString());
  }
}
