package dev.gantry.health;

import dev.gantry.cluster.Membership;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Whether this node can do its work: database reachable, cluster member running, verticles deployed. */
public final class Readiness {

  private final Pool pool;
  private final Membership membership;
  private final AtomicBoolean deployed = new AtomicBoolean();
  private final AtomicBoolean leaving = new AtomicBoolean();

  public Readiness(Pool pool, Membership membership) {
    this.pool = pool;
    this.membership = membership;
  }

  public void markDeployed() {
    deployed.set(true);
  }

  /** The node is shutting down: ready no more, so load balancers send new work elsewhere. */
  public void markLeaving() {
    leaving.set(true);
  }

  /** Each check with {@code "status":"UP"|"DOWN"} and a message when down; {@code "status"} overall. */
  public Future<JsonObject> check() {
    Future<String> database = databaseProblem();
    String cluster = membership.running() ? null : "cluster member is not running";
    String verticles = leaving.get() ? "shutting down" : deployed.get() ? null : "still starting";
    return database.map(db -> {
      JsonObject checks = new JsonObject()
          .put("database", status(db))
          .put("cluster", status(cluster).put("members", cluster == null ? membership.size() : 0))
          .put("verticles", status(verticles));
      boolean up = db == null && cluster == null && verticles == null;
      return new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", checks);
    });
  }

  /** What keeps this node from serving (the database), or null when nothing does: the node record's state. */
  public Future<String> problem() {
    return databaseProblem();
  }

  private Future<String> databaseProblem() {
    return pool.query("SELECT 1").execute().timeout(2, TimeUnit.SECONDS)
        .map(rows -> (String) null)
        .otherwise(err -> "database unreachable: " + err.getMessage());
  }

  private static JsonObject status(String problem) {
    JsonObject out = new JsonObject().put("status", problem == null ? "UP" : "DOWN");
    return problem == null ? out : out.put("message", problem);
  }
}
