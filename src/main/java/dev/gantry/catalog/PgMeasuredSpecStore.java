package dev.gantry.catalog;

import dev.gantry.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Catalog specs the cluster learned by measurement ({@code measured_specs}): one per family and spec id
 * (the id names the hardware), written by a "find the best spec" run, replaced by a later one.
 */
public final class PgMeasuredSpecStore {

  /** One learned spec of a family. */
  public record Measured(String family, CatalogSpec spec) {
  }

  private final Pool pool;

  public PgMeasuredSpecStore(Pool pool) {
    this.pool = pool;
  }

  /** Records (or replaces) {@code spec} (catalog-shaped JSON, validated here) with its figures. */
  public Future<CatalogSpec> record(String family, JsonObject spec, JsonObject figures, String tuningRun) {
    CatalogSpec parsed = CatalogSpec.from(spec);
    return pool.preparedQuery("INSERT INTO measured_specs (family, id, spec, figures, tuning_run) VALUES ($1, $2, $3, $4, $5) "
            + "ON CONFLICT (family, id) DO UPDATE SET spec = $3, figures = $4, tuning_run = $5, measured_at = now()")
        .execute(Tuple.of(family, parsed.id(), spec, figures, tuningRun))
        .map(parsed.withMeasured(new JsonObject().put("figures", figures).put("tuning_run", tuningRun)))
        .recover(e -> PgErrors.translate(e, ""));
  }

  public Future<List<Measured>> list() {
    return pool.query("SELECT family, spec, figures, tuning_run, measured_at FROM measured_specs ORDER BY family, id").execute()
        .map(rows -> {
          List<Measured> out = new ArrayList<>();
          rows.forEach(row -> out.add(toMeasured(row)));
          return out;
        })
        .recover(e -> PgErrors.translate(e, ""));
  }

  private static Measured toMeasured(Row row) {
    JsonObject measurement = new JsonObject().put("figures", row.getValue("figures"))
        .put("tuning_run", row.getString("tuning_run")).put("measured_at", row.getOffsetDateTime("measured_at").toString());
    return new Measured(row.getString("family"), CatalogSpec.from((JsonObject) row.getValue("spec")).withMeasured(measurement));
  }
}
