package dev.gantry.limits;

import dev.gantry.cluster.SharedMap;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Tokens used per subject (key, user, group) per calendar day and month, cluster-wide: the gateway charges
 * each admitted request's prompt + completion tokens here when its usage record is made; charges gather on
 * this node and are added to the cluster map every {@link #FLUSH_MS} ms (compare-and-set, on a worker); every
 * node follows the map's changes. A quota check is two hash lookups; it never waits for the cluster or for
 * PostgreSQL, so quotas hold while the database is down. What a node charged but had not flushed when it
 * died is lost to the quota (never to the usage records, which the journal keeps).
 *
 * <p>Cost budgets are kept the same way, in millionths of the node's {@code currency}, under the subject id
 * with {@link #COST} appended.
 */
public final class QuotaLedger {

  public static final long FLUSH_MS = 250;
  /** Appended to a subject's id for its spending (millionths of the currency) rather than its tokens. */
  public static final String COST = "$";
  public static final String DEFAULT_CURRENCY = "USD";
  private static final Duration DAY_TTL = Duration.ofDays(3);
  private static final Duration MONTH_TTL = Duration.ofDays(40);

  private final SharedMap used;
  private final QuotaCalendar calendar;
  private final LongSupplier clock;
  private final String currency;
  private final Map<String, Long> totals = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> pending = new ConcurrentHashMap<>();

  public QuotaLedger(SharedMap used, QuotaCalendar calendar, LongSupplier clock) {
    this(used, calendar, clock, DEFAULT_CURRENCY);
  }

  public QuotaLedger(SharedMap used, QuotaCalendar calendar, LongSupplier clock, String currency) {
    this.used = used;
    this.calendar = calendar;
    this.clock = clock;
    this.currency = currency;
  }

  /** The currency cost budgets and prices are in. */
  public String currency() {
    return currency;
  }

  /** Follows the cluster's totals. Blocking: call it from a worker. */
  public void startBlocking() {
    used.listenBlocking(change -> {
      if (change.type() == SharedMap.ChangeType.DELETED) {
        totals.remove(change.key());
      } else {
        totals.merge(change.key(), Long.parseLong(change.value()), Math::max);
      }
    });
    used.entriesBlocking().forEach((key, value) -> totals.merge(key, Long.parseLong(value), Math::max));
  }

  /** Why {@code subject} ({@code name} in words) may not start another request under {@code limits}; null when it may. */
  public String refusal(String subject, String name, Limits limits) {
    long now = clock.getAsLong();
    if (limits.tokensPerDay() > 0 && used(subject, calendar.day(now)) >= limits.tokensPerDay()) {
      return name + " has used its " + limits.tokensPerDay() + " tokens for today; the quota renews at "
          + calendar.day(now).endsAt();
    }
    if (limits.tokensPerMonth() > 0 && used(subject, calendar.month(now)) >= limits.tokensPerMonth()) {
      return name + " has used its " + limits.tokensPerMonth() + " tokens for this month; the quota renews at "
          + calendar.month(now).endsAt();
    }
    if (limits.costPerDayMicros() > 0 && used(subject + COST, calendar.day(now)) >= limits.costPerDayMicros()) {
      return name + " has spent its budget of " + amount(limits.costPerDayMicros()) + " for today; the budget renews at "
          + calendar.day(now).endsAt();
    }
    if (limits.costPerMonthMicros() > 0 && used(subject + COST, calendar.month(now)) >= limits.costPerMonthMicros()) {
      return name + " has spent its budget of " + amount(limits.costPerMonthMicros()) + " for this month; the budget "
          + "renews at " + calendar.month(now).endsAt();
    }
    return null;
  }

  private String amount(long micros) {
    return java.math.BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString() + " " + currency;
  }

  /** Seconds until the spent quota of {@code limits} renews: the day's end if today's is spent, else the month's. */
  public long secondsUntilRenewal(String subject, Limits limits) {
    long now = clock.getAsLong();
    QuotaCalendar.Period day = calendar.day(now);
    boolean daySpent = limits.tokensPerDay() > 0 && used(subject, day) >= limits.tokensPerDay()
        || limits.costPerDayMicros() > 0 && used(subject + COST, day) >= limits.costPerDayMicros();
    long ends = (daySpent ? day : calendar.month(now)).endsAt().toEpochMilli();
    return Math.max(1, (ends - now + 999) / 1000);
  }

  /** Adds an admitted request's tokens to the subject's day and month. */
  public void charge(String subject, long tokens) {
    if (tokens <= 0) {
      return;
    }
    long now = clock.getAsLong();
    pending.computeIfAbsent(key(subject, calendar.day(now)), k -> new LongAdder()).add(tokens);
    pending.computeIfAbsent(key(subject, calendar.month(now)), k -> new LongAdder()).add(tokens);
  }

  /** Adds an admitted request's cost (millionths of the currency) to the subject's day and month. */
  public void chargeCost(String subject, long micros) {
    charge(subject + COST, micros);
  }

  /** The calendar quotas renew by. */
  public QuotaCalendar calendar() {
    return calendar;
  }

  /**
   * Writes the given totals of today and this month when the cluster holds none yet ({@link QuotaSeed});
   * an entry a node wrote meanwhile is kept. Blocking: call it from a worker.
   */
  void seedIfEmptyBlocking(QuotaCalendar.Period day, Map<String, Long> today, QuotaCalendar.Period month,
      Map<String, Long> thisMonth) {
    if (!used.keysBlocking().isEmpty()) {
      return;
    }
    today.forEach((subject, tokens) -> used.putIfAbsentBlocking(key(subject, day), String.valueOf(tokens), DAY_TTL));
    thisMonth.forEach((subject, tokens) -> used.putIfAbsentBlocking(key(subject, month), String.valueOf(tokens),
        MONTH_TTL));
  }

  /** Tokens the subject used in the period, cluster-wide as this node knows it. */
  public long used(String subject, QuotaCalendar.Period period) {
    String key = key(subject, period);
    Long total = totals.get(key);
    LongAdder mine = pending.get(key);
    return (total == null ? 0 : total) + (mine == null ? 0 : mine.sum());
  }

  /** {@code {tokens_per_day: {limit, used, remaining, resets_at}, tokens_per_month: ..., cost_per_day: {... currency}, cost_per_month: ...}} for the quotas that are set. */
  public JsonObject view(String subject, Limits limits) {
    long now = clock.getAsLong();
    JsonObject quota = new JsonObject();
    if (limits.tokensPerDay() > 0) {
      quota.put("tokens_per_day", period(subject, limits.tokensPerDay(), calendar.day(now)));
    }
    if (limits.tokensPerMonth() > 0) {
      quota.put("tokens_per_month", period(subject, limits.tokensPerMonth(), calendar.month(now)));
    }
    if (limits.costPerDayMicros() > 0) {
      quota.put("cost_per_day", costPeriod(subject, limits.costPerDayMicros(), calendar.day(now)));
    }
    if (limits.costPerMonthMicros() > 0) {
      quota.put("cost_per_month", costPeriod(subject, limits.costPerMonthMicros(), calendar.month(now)));
    }
    return quota;
  }

  private JsonObject costPeriod(String subject, long limit, QuotaCalendar.Period period) {
    long spent = used(subject + COST, period);
    return new JsonObject().put("limit", Prices.amount(limit)).put("used", Prices.amount(spent))
        .put("remaining", Prices.amount(Math.max(0, limit - spent))).put("currency", currency)
        .put("resets_at", period.endsAt().toString());
  }

  private JsonObject period(String subject, long limit, QuotaCalendar.Period period) {
    long spent = used(subject, period);
    return new JsonObject().put("limit", limit).put("used", spent).put("remaining", Math.max(0, limit - spent))
        .put("resets_at", period.endsAt().toString());
  }

  /** Adds what this node charged to the cluster's totals. Blocking: runs on a worker every {@link #FLUSH_MS} ms. */
  public void flushBlocking() {
    for (Map.Entry<String, LongAdder> entry : pending.entrySet()) {
      long delta = entry.getValue().sumThenReset();
      if (delta != 0) {
        try {
          add(entry.getKey(), delta);
        } catch (RuntimeException e) {
          entry.getValue().add(delta);  // the cluster could not take it now: kept for the next flush
          throw e;
        }
      }
    }
  }

  private void add(String key, long delta) {
    Duration ttl = key.contains("|d") ? DAY_TTL : MONTH_TTL;
    while (true) {
      String before = used.getBlocking(key);
      if (before == null) {
        if (used.putIfAbsentBlocking(key, String.valueOf(delta), ttl)) {
          totals.merge(key, delta, Math::max);  // the listener may have brought this (or a later) total first
          return;
        }
      } else if (used.replaceBlocking(key, before, String.valueOf(Long.parseLong(before) + delta))) {
        totals.merge(key, Long.parseLong(before) + delta, Math::max);
        return;
      }
    }
  }

  private static String key(String subject, QuotaCalendar.Period period) {
    return subject + "|" + period.name();
  }
}
