package dev.gantry.metering;

import dev.gantry.common.UsageRecord;
import dev.gantry.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Usage records in PostgreSQL: idempotent batch inserts (one statement per batch) and grouped summaries. */
public final class PgUsageStore {

  private static final String INSERT = "INSERT INTO usage_records (id, request_id, created_at, user_id, username, "
      + "api_key_id, model, instance_id, node_name, gateway_node, operation, prompt_tokens, completion_tokens, "
      + "duration_ms, ttft_ms, status, outcome, cost) SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], "
      + "$4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], "
      + "$12::int[], $13::int[], $14::int[], $15::int[], $16::int[], $17::text[], $18::float8[])";
  /** The same insert that skips records already there: a batch sent again after an outage or a restart. */
  private static final String INSERT_NEW = INSERT + " ON CONFLICT (id) DO NOTHING";

  /** The numbers of each summary item, in the order the API documents them. */
  static final List<String> COUNTS = List.of("request_count", "succeeded_count", "failed_count", "cancelled_count",
      "status_2xx", "status_4xx", "status_5xx", "prompt_tokens", "completion_tokens");

  private final Pool pool;

  public PgUsageStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Inserts the records that are not there yet, as one statement of column arrays; answers how many were new.
   * A batch goes in by a plain insert first: nearly every batch is new, and {@code ON CONFLICT DO NOTHING}
   * costs each row a speculative insertion (a check of the key, a token, a second WAL record to confirm it).
   * Only when a record is already there (a batch sent again after an outage, or a restarted node shipping its
   * journal from the start) does the batch go again with {@code ON CONFLICT DO NOTHING}; the failed
   * statement wrote nothing.
   */
  public Future<Integer> insert(List<UsageRecord> batch) {
    int n = batch.size();
    String[] ids = new String[n];
    String[] requestIds = new String[n];
    OffsetDateTime[] createdAt = new OffsetDateTime[n];
    Long[] userIds = new Long[n];
    String[][] texts = new String[7][n];
    Integer[][] ints = new Integer[5][n];
    String[] outcomes = new String[n];
    Double[] costs = new Double[n];
    for (int i = 0; i < n; i++) {
      UsageRecord r = batch.get(i);
      ids[i] = r.id();
      requestIds[i] = r.requestId();
      createdAt[i] = r.createdAt().atOffset(ZoneOffset.UTC);
      userIds[i] = r.userId();
      texts[0][i] = r.username();
      texts[1][i] = r.apiKeyId();
      texts[2][i] = r.model();
      texts[3][i] = r.instanceId();
      texts[4][i] = r.nodeName();
      texts[5][i] = r.gatewayNode();
      texts[6][i] = r.operation();
      ints[0][i] = r.promptTokens();
      ints[1][i] = r.completionTokens();
      ints[2][i] = (int) Math.min(Integer.MAX_VALUE, r.durationMs());
      ints[3][i] = r.ttftMs() == null ? null : (int) Math.min(Integer.MAX_VALUE, r.ttftMs());
      ints[4][i] = r.status();
      outcomes[i] = r.outcome();
      costs[i] = r.cost();
    }
    Tuple tuple = Tuple.tuple().addValue(ids).addValue(requestIds).addValue(createdAt).addValue(userIds);
    for (String[] column : texts) {
      tuple.addValue(column);
    }
    for (Integer[] column : ints) {
      tuple.addValue(column);
    }
    tuple.addValue(outcomes).addValue(costs);
    return pool.preparedQuery(INSERT).execute(tuple).map(rows -> rows.rowCount())
        .recover(error -> error instanceof PgException pg && PgErrors.UNIQUE_VIOLATION.equals(pg.getSqlState())
            ? pool.preparedQuery(INSERT_NEW).execute(tuple).map(rows -> rows.rowCount()) : Future.failedFuture(error));
  }

  /**
   * Per group: the request count, split by outcome and by status class, and the token sums (and cost, null
   * when none was priced) of the requests that did not fail (a failed request's tokens, if an engine reported
   * any, bought nobody an answer; a cancelled stream keeps the tokens it was sent before the client left). In
   * group order.
   */
  public Future<List<JsonObject>> summary(UsageQuery query) {
    String select = query.groupBy().stream().map(d -> d.select() + ", ").collect(Collectors.joining());
    String group = query.groupBy().stream().map(UsageQuery.Dimension::group).collect(Collectors.joining(", "));
    String sql = "SELECT " + select + "count(*) AS request_count, "
        + "count(*) FILTER (WHERE outcome = 'ok') AS succeeded_count, "
        + "count(*) FILTER (WHERE outcome = 'error') AS failed_count, "
        + "count(*) FILTER (WHERE outcome = 'cancelled') AS cancelled_count, "
        + "count(*) FILTER (WHERE status / 100 = 2) AS status_2xx, "
        + "count(*) FILTER (WHERE status / 100 = 4) AS status_4xx, "
        + "count(*) FILTER (WHERE status / 100 = 5) AS status_5xx, "
        + "coalesce(sum(prompt_tokens) FILTER (WHERE outcome <> 'error'), 0) AS prompt_tokens, "
        + "coalesce(sum(completion_tokens) FILTER (WHERE outcome <> 'error'), 0) AS completion_tokens, "
        + "sum(cost) FILTER (WHERE outcome <> 'error') AS cost "
        + "FROM usage_records "
        + "WHERE ($1::timestamptz IS NULL OR created_at >= $1) AND ($2::timestamptz IS NULL OR created_at < $2) "
        + "AND ($3::bigint IS NULL OR user_id = $3) AND ($4::text[] IS NULL OR outcome = ANY($4)) "
        + "AND ($5::int[] IS NULL OR status / 100 = ANY($5))"
        + (group.isEmpty() ? "" : " GROUP BY " + group + " ORDER BY " + group);
    Tuple params = Tuple.tuple().addValue(query.from()).addValue(query.to()).addValue(query.onlyUser())
        .addValue(query.storedOutcomes()).addValue(query.statusClassDigits());
    return pool.preparedQuery(sql).execute(params)
        .map(rows -> {
          List<JsonObject> items = new ArrayList<>();
          for (Row row : rows) {
            JsonObject item = new JsonObject();
            query.groupBy().forEach(d -> d.fields().forEach(f -> item.put(f, row.getValue(f))));
            COUNTS.forEach(column -> item.put(column, row.getLong(column)));
            Object cost = row.getValue("cost");
            item.put("cost", cost instanceof Number amount ? amount.doubleValue() : null);
            items.add(item);
          }
          return items;
        })
        .recover(e -> PgErrors.translate(e, ""));
  }
}
