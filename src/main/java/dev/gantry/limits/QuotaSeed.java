package dev.gantry.limits;

import dev.gantry.store.PgErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Rebuilds this month's and today's quota usage (tokens and cost) from {@code usage_records} when the
 * cluster's totals are empty (the whole cluster was down, or this is its first start), so a restart does not
 * hand out a fresh quota. Keys and users are summed by the database; a group's usage is its members'. Records still in a
 * node's journal (not shipped yet) are not counted.
 */
public final class QuotaSeed {

  private static final String SUMS = "SELECT user_id, api_key_id, "
      + "COALESCE(sum(prompt_tokens + completion_tokens) FILTER (WHERE created_at >= $2), 0) AS today, "
      + "COALESCE(sum(prompt_tokens + completion_tokens), 0) AS month, "
      + "COALESCE(round(sum(cost) FILTER (WHERE created_at >= $2) * 1000000), 0)::bigint AS cost_today, "
      + "COALESCE(round(sum(cost) * 1000000), 0)::bigint AS cost_month "
      + "FROM usage_records WHERE created_at >= $1 GROUP BY user_id, api_key_id";

  private QuotaSeed() {
  }

  /** Seeds {@code ledger} when it is empty; {@code groupsOf} answers the group ids of a user. */
  public static Future<Void> seedIfEmpty(Vertx vertx, Pool pool, QuotaLedger ledger, QuotaCalendar calendar,
      LongFunction<List<Long>> groupsOf) {
    long now = System.currentTimeMillis();
    QuotaCalendar.Period day = calendar.day(now);
    QuotaCalendar.Period month = calendar.month(now);
    return pool.preparedQuery(SUMS).execute(Tuple.of(at(month.startMs()), at(day.startMs())))
        .recover(e -> PgErrors.translate(e, ""))
        .compose(rows -> {
          Map<String, Long> today = new HashMap<>();
          Map<String, Long> thisMonth = new HashMap<>();
          for (Row row : rows) {
            long userId = row.getLong("user_id");
            String keyId = row.getString("api_key_id");
            long t = row.getLong("today");
            long m = row.getLong("month");
            long ct = row.getLong("cost_today");
            long cm = row.getLong("cost_month");
            List<String> subjects = new java.util.ArrayList<>();
            if (keyId != null) {
              subjects.add("k:" + keyId);
            }
            subjects.add("u:" + userId);
            for (Long group : groupsOf.apply(userId)) {
              subjects.add("g:" + group);
            }
            for (String subject : subjects) {
              add(today, thisMonth, subject, t, m);
              add(today, thisMonth, subject + QuotaLedger.COST, ct, cm);
            }
          }
          return vertx.executeBlocking(() -> {
            ledger.seedIfEmptyBlocking(day, today, month, thisMonth);
            return null;
          }, false);
        }).mapEmpty();
  }

  private static void add(Map<String, Long> today, Map<String, Long> month, String subject, long t, long m) {
    if (t > 0) {
      today.merge(subject, t, Long::sum);
    }
    if (m > 0) {
      month.merge(subject, m, Long::sum);
    }
  }

  private static OffsetDateTime at(long epochMs) {
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMs), ZoneOffset.UTC);
  }
}
