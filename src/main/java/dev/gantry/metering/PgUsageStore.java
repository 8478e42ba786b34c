package dev.gantry.metering;

import dev.gantry.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Usage records in PostgreSQL: idempotent batch inserts (one statement per batch) and grouped summaries. */
public final class PgUsageStore {

  private static final String INSERT = "INSERT INTO usage_records (id, request_id, created_at, user_id, username, "
      + "api_key_id, model, instance_id, node_name, gateway_node, operation, prompt_tokens, completion_tokens, "
      + "duration_ms, ttft_ms, status, outcome) SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], "
      + "$4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], "
      + "$12::int[], $13::int[], $14::int[], $15::int[], $16::int[], $17::text[]) ON CONFLICT (id) DO NOTHING";
  private static final String[] TEXT_AFTER_USER = {"username", "api_key_id", "model", "instance_id", "node_name",
      "gateway_node", "operation"};
  private static final String[] INTS = {"prompt_tokens", "completion_tokens", "duration_ms", "ttft_ms", "status"};

  private final Pool pool;

  public PgUsageStore(Pool pool) {
    this.pool = pool;
  }

  /** Inserts the records that are not there yet; answers how many were new. */
  public Future<Integer> insert(List<JsonObject> batch) {
    Tuple tuple = Tuple.tuple().addValue(strings(batch, "id")).addValue(strings(batch, "request_id"))
        .addValue(batch.stream().map(r -> OffsetDateTime.parse(r.getString("created_at"))).toArray(OffsetDateTime[]::new))
        .addValue(batch.stream().map(r -> r.getLong("user_id")).toArray(Long[]::new));
    for (String field : TEXT_AFTER_USER) {
      tuple.addValue(strings(batch, field));
    }
    for (String field : INTS) {
      tuple.addValue(batch.stream().map(r -> r.getNumber(field) == null ? null : r.getNumber(field).intValue())
          .toArray(Integer[]::new));
    }
    tuple.addValue(strings(batch, "outcome"));
    return pool.preparedQuery(INSERT).execute(tuple).map(rows -> rows.rowCount());
  }

  private static String[] strings(List<JsonObject> batch, String field) {
    return batch.stream().map(r -> r.getString(field)).toArray(String[]::new);
  }

  /** Request count and token sums per group, in group order. */
  public Future<List<JsonObject>> summary(UsageQuery query) {
    String select = query.groupBy().stream().map(d -> d.select() + ", ").collect(Collectors.joining());
    String group = query.groupBy().stream().map(UsageQuery.Dimension::group).collect(Collectors.joining(", "));
    String sql = "SELECT " + select + "count(*) AS request_count, coalesce(sum(prompt_tokens), 0) AS prompt_tokens, "
        + "coalesce(sum(completion_tokens), 0) AS completion_tokens FROM usage_records "
        + "WHERE ($1::timestamptz IS NULL OR created_at >= $1) AND ($2::timestamptz IS NULL OR created_at < $2) "
        + "AND ($3::bigint IS NULL OR user_id = $3)"
        + (group.isEmpty() ? "" : " GROUP BY " + group + " ORDER BY " + group);
    return pool.preparedQuery(sql).execute(Tuple.of(query.from(), query.to(), query.onlyUser()))
        .map(rows -> {
          List<JsonObject> items = new ArrayList<>();
          for (Row row : rows) {
            JsonObject item = new JsonObject();
            query.groupBy().forEach(d -> d.fields().forEach(f -> item.put(f, row.getValue(f))));
            items.add(item.put("request_count", row.getLong("request_count"))
                .put("prompt_tokens", row.getLong("prompt_tokens"))
                .put("completion_tokens", row.getLong("completion_tokens")));
          }
          return items;
        })
        .recover(e -> PgErrors.translate(e, ""));
  }
}
