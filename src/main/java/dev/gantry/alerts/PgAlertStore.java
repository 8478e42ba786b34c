package dev.gantry.alerts;

import dev.gantry.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Alert rules and webhook receivers in PostgreSQL (the cluster maps are read models of these tables).
 * Receivers' URLs arrive sealed ({@link AlertReceiver}); this class never sees one in clear.
 */
public final class PgAlertStore {

  private final Pool pool;

  public PgAlertStore(Pool pool) {
    this.pool = pool;
  }

  public Future<List<AlertRule>> rules() {
    return pool.query("SELECT id, builtin, spec FROM alert_rules ORDER BY builtin DESC, created_at, id").execute()
        .map(rows -> {
          List<AlertRule> out = new ArrayList<>();
          rows.forEach(row -> out.add(rule(row)));
          return out;
        })
        .recover(e -> PgErrors.translate(e, ""));
  }

  public Future<AlertRule> createRule(AlertRule rule) {
    return pool.preparedQuery("INSERT INTO alert_rules (id, builtin, spec) VALUES ($1, FALSE, $2) RETURNING id, builtin, spec")
        .execute(Tuple.of(rule.id(), rule.spec()))
        .map(rows -> rule(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, "an alert rule with id '" + rule.id() + "' already exists"));
  }

  /** Answers the stored rule, or null when there is none with that id. */
  public Future<AlertRule> updateRule(AlertRule rule) {
    return pool.preparedQuery("UPDATE alert_rules SET spec = $2, updated_at = now() WHERE id = $1 RETURNING id, builtin, spec")
        .execute(Tuple.of(rule.id(), rule.spec()))
        .map(rows -> rows.size() == 0 ? null : rule(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, ""));
  }

  /** Deletes a rule that is not built in; answers whether it did. */
  public Future<Boolean> deleteRule(String id) {
    return pool.preparedQuery("DELETE FROM alert_rules WHERE id = $1 AND NOT builtin").execute(Tuple.of(id))
        .map(rows -> rows.rowCount() > 0).recover(e -> PgErrors.translate(e, ""));
  }

  public Future<List<AlertReceiver>> receivers() {
    return pool.query("SELECT id, name, format, enabled, url_sealed, url_host FROM alert_receivers ORDER BY created_at, id")
        .execute()
        .map(rows -> {
          List<AlertReceiver> out = new ArrayList<>();
          rows.forEach(row -> out.add(receiver(row)));
          return out;
        })
        .recover(e -> PgErrors.translate(e, ""));
  }

  public Future<AlertReceiver> createReceiver(AlertReceiver r) {
    return pool.preparedQuery("INSERT INTO alert_receivers (id, name, format, enabled, url_sealed, url_host) "
            + "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, name, format, enabled, url_sealed, url_host")
        .execute(Tuple.of(r.id(), r.name(), r.format(), r.enabled(), r.urlSealed(), r.urlHost()))
        .map(rows -> receiver(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, "a receiver named '" + r.name() + "' already exists"));
  }

  /** Answers the stored receiver, or null when there is none with that id. */
  public Future<AlertReceiver> updateReceiver(AlertReceiver r) {
    return pool.preparedQuery("UPDATE alert_receivers SET name = $2, format = $3, enabled = $4, url_sealed = $5, "
            + "url_host = $6, updated_at = now() WHERE id = $1 RETURNING id, name, format, enabled, url_sealed, url_host")
        .execute(Tuple.of(r.id(), r.name(), r.format(), r.enabled(), r.urlSealed(), r.urlHost()))
        .map(rows -> rows.size() == 0 ? null : receiver(rows.iterator().next()))
        .recover(e -> PgErrors.translate(e, "a receiver named '" + r.name() + "' already exists"));
  }

  public Future<Boolean> deleteReceiver(String id) {
    return pool.preparedQuery("DELETE FROM alert_receivers WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.rowCount() > 0).recover(e -> PgErrors.translate(e, ""));
  }

  private static AlertRule rule(Row row) {
    JsonObject spec = row.getJsonObject("spec").copy().put("id", row.getString("id")).put("builtin", row.getBoolean("builtin"));
    return AlertRule.fromJson(spec);
  }

  private static AlertReceiver receiver(Row row) {
    return new AlertReceiver(row.getString("id"), row.getString("name"), row.getString("format"), row.getBoolean("enabled"),
        row.getString("url_sealed"), row.getString("url_host"));
  }
}
