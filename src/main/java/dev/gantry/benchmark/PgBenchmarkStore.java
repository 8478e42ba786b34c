package dev.gantry.benchmark;

import dev.gantry.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Benchmark runs in PostgreSQL ({@code benchmarks}): created running, progress while running, results at the end. */
public final class PgBenchmarkStore {

  private static final String COLUMNS = "id, model, state, message, profile, sla, spec, hardware, progress, results, node, "
      + "created_by, created_at, finished_at";

  private final Pool pool;

  public PgBenchmarkStore(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> insert(JsonObject run) {
    return pool.preparedQuery("INSERT INTO benchmarks (id, model, state, profile, sla, spec, hardware, node, created_by) "
            + "VALUES ($1, $2, 'running', $3, $4, $5, $6, $7, $8)")
        .execute(Tuple.from(new Object[] {run.getString("id"), run.getString("model"), run.getJsonObject("profile"),
            run.getJsonObject("sla"), run.getJsonObject("spec"), run.getJsonObject("hardware"), run.getString("node"),
            run.getLong("created_by")}))
        .compose(v -> get(run.getString("id")))
        .recover(e -> PgErrors.translate(e, "a benchmark with this id exists"));
  }

  Future<Void> progress(String id, JsonObject progress) {
    return pool.preparedQuery("UPDATE benchmarks SET progress = $2 WHERE id = $1").execute(Tuple.of(id, progress)).mapEmpty();
  }

  Future<Void> finish(String id, String state, String message, JsonObject progress, JsonObject results) {
    return pool.preparedQuery("UPDATE benchmarks SET state = $2, message = $3, progress = $4, results = $5, finished_at = now() "
            + "WHERE id = $1").execute(Tuple.of(id, state, message, progress, results)).mapEmpty();
  }

  /** Asks the node running it to stop; false when it is not running (any more). */
  Future<Boolean> requestCancel(String id) {
    return pool.preparedQuery("UPDATE benchmarks SET state = 'cancelling' WHERE id = $1 AND state = 'running'")
        .execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0).recover(e -> PgErrors.translate(e, ""));
  }

  Future<String> state(String id) {
    return pool.preparedQuery("SELECT state FROM benchmarks WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
  }

  /** Runs this node was driving when it stopped: they end failed, with the reason. */
  public Future<Void> orphaned(String node) {
    return pool.preparedQuery("UPDATE benchmarks SET state = 'failed', message = 'the node running it stopped before it "
            + "ended', finished_at = now() WHERE node = $1 AND state IN ('running', 'cancelling')").execute(Tuple.of(node))
        .mapEmpty();
  }

  Future<JsonObject> get(String id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM benchmarks WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toJson(rows.iterator().next(), true))
        .recover(e -> PgErrors.translate(e, ""));
  }

  /** Newest first, without the per-request series (GET one for that). */
  Future<List<JsonObject>> list(String model) {
    String where = model == null ? "" : " WHERE model = $1";
    Tuple args = model == null ? Tuple.tuple() : Tuple.of(model);
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM benchmarks" + where + " ORDER BY created_at DESC LIMIT 200")
        .execute(args).map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          rows.forEach(row -> out.add(toJson(row, false)));
          return out;
        })
        .recover(e -> PgErrors.translate(e, ""));
  }

  Future<Boolean> delete(String id) {
    return pool.preparedQuery("DELETE FROM benchmarks WHERE id = $1 AND state NOT IN ('running', 'cancelling')")
        .execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0).recover(e -> PgErrors.translate(e, ""));
  }

  private static JsonObject toJson(Row row, boolean series) {
    JsonObject results = (JsonObject) row.getValue("results");
    if (results != null && !series) {
      results = results.copy();
      results.remove("series");
    }
    OffsetDateTime finished = row.getOffsetDateTime("finished_at");
    return new JsonObject().put("id", row.getString("id")).put("model", row.getString("model"))
        .put("state", row.getString("state")).put("message", row.getString("message"))
        .put("profile", row.getValue("profile")).put("sla", row.getValue("sla")).put("spec", row.getValue("spec"))
        .put("hardware", row.getValue("hardware")).put("progress", row.getValue("progress")).put("results", results)
        .put("node", row.getString("node")).put("created_by", row.getLong("created_by"))
        .put("created_at", row.getOffsetDateTime("created_at").toString())
        .put("finished_at", finished == null ? null : finished.toString());
  }
}
