package dev.gantry.tuning;

import dev.gantry.common.ApiException;
import dev.gantry.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * "Find the best spec" runs in PostgreSQL ({@code tuning_runs}): created running, updated per step, ended.
 * At most one row is running or cancelling (the unique index {@code tuning_runs_one_running}, V20), and once
 * a run ended (here, or by the leader because its node left) its node's later updates change nothing.
 */
public final class PgTuningStore {

  /** A run still running or cancelling, with the node driving it. */
  record Active(String id, String node, JsonObject progress, OffsetDateTime createdAt) {
  }

  private static final String ONE_RUNNING = "tuning_runs_one_running";
  private static final String ACTIVE = "state IN ('running', 'cancelling')";

  private static final String COLUMNS = "id, family, base_spec, state, message, request, progress, candidates, winner, node, "
      + "created_by, created_at, finished_at";

  private final Pool pool;

  public PgTuningStore(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> insert(JsonObject run) {
    return pool.preparedQuery("INSERT INTO tuning_runs (id, family, base_spec, state, request, progress, candidates, node, "
            + "created_by) VALUES ($1, $2, $3, 'running', $4, $5, $6, $7, $8)")
        .execute(Tuple.from(new Object[] {run.getString("id"), run.getString("family"), run.getString("base_spec"),
            run.getJsonObject("request"), run.getJsonObject("progress"), run.getJsonArray("candidates"), run.getString("node"),
            run.getLong("created_by")}))
        .compose(v -> get(run.getString("id")))
        .recover(e -> e instanceof PgException pg && ONE_RUNNING.equals(pg.getConstraint())
            ? running().compose(other -> Future.failedFuture(busy(other)))
            : PgErrors.translate(e, "a tuning run with this id exists"));
  }

  /** The 409 for a second run while {@code other} runs (null: it ended meanwhile; the caller may retry). */
  static ApiException busy(String other) {
    String which = other == null ? "another tuning run was" : "tuning run " + other + " is";
    return new ApiException(409, "conflict", which + " running: candidates measured side by side would skew each other; "
        + "wait for it or cancel it" + (other == null ? "" : " (DELETE /v2/tuning-runs/" + other + ")"));
  }

  /** Progress and candidates while running; the state is left alone (a cancel may have been asked). */
  Future<JsonObject> update(String id, JsonObject progress, JsonArray candidates) {
    return pool.preparedQuery("UPDATE tuning_runs SET progress = $2, candidates = $3 WHERE id = $1 AND " + ACTIVE)
        .execute(Tuple.of(id, progress, candidates)).compose(v -> get(id));
  }

  /** Ends a run still running or cancelling; answers the run as stored (unchanged when it had ended already). */
  Future<JsonObject> finish(String id, String state, String message, JsonObject progress, JsonArray candidates, Integer winner) {
    return pool.preparedQuery("UPDATE tuning_runs SET state = $2, message = $3, progress = $4, candidates = $5, winner = $6, "
            + "finished_at = now() WHERE id = $1 AND " + ACTIVE).execute(Tuple.of(id, state, message, progress, candidates, winner))
        .compose(v -> get(id));
  }

  /** Asks the node running it to stop; false when it is not running (any more). */
  Future<Boolean> requestCancel(String id) {
    return pool.preparedQuery("UPDATE tuning_runs SET state = 'cancelling' WHERE id = $1 AND state = 'running'")
        .execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0).recover(e -> PgErrors.translate(e, ""));
  }

  /** The id of a run still running or cancelling, or null. */
  Future<String> running() {
    return pool.query("SELECT id FROM tuning_runs WHERE state IN ('running', 'cancelling') ORDER BY created_at LIMIT 1").execute()
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
  }

  /** Every run still running or cancelling, oldest first (at most one, but a leader round does not rely on it). */
  Future<List<Active>> active() {
    return pool.query("SELECT id, node, progress, created_at FROM tuning_runs WHERE " + ACTIVE + " ORDER BY created_at")
        .execute().map(rows -> {
          List<Active> out = new ArrayList<>();
          rows.forEach(row -> out.add(new Active(row.getString("id"), row.getString("node"), (JsonObject) row.getValue("progress"),
              row.getOffsetDateTime("created_at"))));
          return out;
        });
  }

  /**
   * Ends a run whose node is gone: failed with {@code message}; answers the names of the temporary models it may
   * have left, or null when the run had ended meanwhile.
   */
  Future<List<String>> failAbandoned(String id, String message) {
    return pool.preparedQuery("UPDATE tuning_runs SET state = 'failed', message = $2, finished_at = now(), "
            + "progress = progress || '{\"step\": \"done\"}'::jsonb WHERE id = $1 AND " + ACTIVE + " RETURNING candidates")
        .execute(Tuple.of(id, message)).map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          return modelNames((JsonArray) rows.iterator().next().getValue(0));
        });
  }

  private static List<String> modelNames(JsonArray candidates) {
    return candidates.stream().map(JsonObject.class::cast).map(c -> c.getString("model_name")).toList();
  }

  Future<String> state(String id) {
    return pool.preparedQuery("SELECT state FROM tuning_runs WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
  }

  /** A run ended because its node stopped: its id and the temporary models it may have left. */
  public record Orphan(String id, List<String> models) {
  }

  /**
   * Runs this node was driving when it stopped: they end failed, each answered with the temporary models that
   * may remain (so the node deletes them, and the run's key, once it serves).
   */
  public Future<List<Orphan>> orphaned(String node) {
    return pool.preparedQuery("UPDATE tuning_runs SET state = 'failed', message = 'the node running it stopped before it "
            + "ended', finished_at = now() WHERE node = $1 AND " + ACTIVE + " RETURNING id, candidates")
        .execute(Tuple.of(node)).map(rows -> {
          List<Orphan> out = new ArrayList<>();
          rows.forEach(row -> out.add(new Orphan(row.getString("id"), modelNames((JsonArray) row.getValue("candidates")))));
          return out;
        });
  }

  Future<JsonObject> get(String id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM tuning_runs WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toJson(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, ""));
  }

  /** Newest first. */
  Future<List<JsonObject>> list() {
    return pool.query("SELECT " + COLUMNS + " FROM tuning_runs ORDER BY created_at DESC LIMIT 200").execute()
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          rows.forEach(row -> out.add(toJson(row)));
          return out;
        })
        .recover(e -> PgErrors.translate(e, ""));
  }

  Future<Boolean> delete(String id) {
    return pool.preparedQuery("DELETE FROM tuning_runs WHERE id = $1 AND state NOT IN ('running', 'cancelling')")
        .execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0).recover(e -> PgErrors.translate(e, ""));
  }

  private static JsonObject toJson(Row row) {
    OffsetDateTime finished = row.getOffsetDateTime("finished_at");
    return new JsonObject().put("id", row.getString("id")).put("family", row.getString("family"))
        .put("base_spec", row.getString("base_spec")).put("state", row.getString("state"))
        .put("message", row.getString("message")).put("request", row.getValue("request"))
        .put("progress", row.getValue("progress")).put("candidates", row.getValue("candidates"))
        .put("winner", row.getInteger("winner")).put("node", row.getString("node"))
        .put("created_by", row.getLong("created_by")).put("created_at", row.getOffsetDateTime("created_at").toString())
        .put("finished_at", finished == null ? null : finished.toString());
  }
}
