package dev.gantry.limits;

import dev.gantry.common.ApiException;
import io.vertx.core.json.JsonObject;

/**
 * The rate limits and quotas set on a key, a user, a group or a model/route name: each field 0 when not
 * set. {@code requestsPerWindow} and {@code tokensPerWindow} are what one rate window of
 * {@code windowSeconds} (60 unless set: the API calls them {@code requests_per_minute} and
 * {@code tokens_per_minute}) admits, cluster-wide; {@code concurrent} bounds requests in flight;
 * {@code tokensPerDay} and {@code tokensPerMonth} are quotas by the calendar; {@code costPerDayMicros} and
 * {@code costPerMonthMicros} are cost budgets by the calendar in millionths of the node's currency (the API
 * takes {@code cost_per_day} and {@code cost_per_month} in whole currency units, e.g. 2.50), charged at the
 * prices of the model or route name called ({@link Prices}).
 */
public record Limits(long requestsPerWindow, long tokensPerWindow, long concurrent, int windowSeconds, long tokensPerDay,
    long tokensPerMonth, long costPerDayMicros, long costPerMonthMicros) {

  public static final Limits NONE = new Limits(0, 0, 0, 60, 0, 0);
  static final int MAX_WINDOW_SECONDS = 3600;
  /** The most a cost budget may be, in currency units (keeps its millionths within a long). */
  static final double MAX_COST = 1e12;

  /** Limits without cost budgets. */
  public Limits(long requestsPerWindow, long tokensPerWindow, long concurrent, int windowSeconds, long tokensPerDay,
      long tokensPerMonth) {
    this(requestsPerWindow, tokensPerWindow, concurrent, windowSeconds, tokensPerDay, tokensPerMonth, 0, 0);
  }

  public boolean hasRates() {
    return requestsPerWindow > 0 || tokensPerWindow > 0 || concurrent > 0;
  }

  public boolean hasQuotas() {
    return tokensPerDay > 0 || tokensPerMonth > 0 || hasCostQuotas();
  }

  public boolean hasCostQuotas() {
    return costPerDayMicros > 0 || costPerMonthMicros > 0;
  }

  public long windowMillis() {
    return windowSeconds * 1000L;
  }

  /**
   * The limits of a stored record's {@code limits} object (already validated); null or absent: none.
   * Never throws on a stored value: what cannot be read counts as not set.
   */
  public static Limits of(JsonObject limits) {
    if (limits == null) {
      return NONE;
    }
    try {
      return parse(limits, "limits");
    } catch (ApiException | ClassCastException e) {
      return NONE;
    }
  }

  /** Validates a {@code limits} object from a request; a 400 names the field ({@code field}.x) that is wrong. */
  public static Limits parse(JsonObject limits, String field) {
    if (limits == null) {
      return NONE;
    }
    Integer window = limits.getInteger("window_seconds");
    if (window != null && (window <= 0 || window > MAX_WINDOW_SECONDS)) {
      throw ApiException.badRequest("'" + field + ".window_seconds' must be between 1 and " + MAX_WINDOW_SECONDS
          + " seconds (got " + window + "); leave it out for one minute");
    }
    return new Limits(count(limits, field, "requests_per_minute"), count(limits, field, "tokens_per_minute"),
        count(limits, field, "concurrent_requests"), window == null ? 60 : window, count(limits, field, "tokens_per_day"),
        count(limits, field, "tokens_per_month"), cost(limits, field, "cost_per_day"),
        cost(limits, field, "cost_per_month"));
  }

  private static long cost(JsonObject limits, String field, String name) {
    Object value = limits.getValue(name);
    if (value == null) {
      return 0;
    }
    if (!(value instanceof Number number) || !(number.doubleValue() > 0) || number.doubleValue() > MAX_COST) {
      throw ApiException.badRequest("'" + field + "." + name + "' must be an amount of the node's currency above 0 "
          + "(got " + value + "), e.g. 2.50; leave it out (or null) for no cost budget");
    }
    return Math.max(1, Math.round(number.doubleValue() * 1_000_000));
  }

  private static long count(JsonObject limits, String field, String name) {
    Object value = limits.getValue(name);
    if (value == null) {
      return 0;
    }
    if (!(value instanceof Number number) || number.doubleValue() != Math.floor(number.doubleValue())
        || number.longValue() < 1) {
      throw ApiException.badRequest("'" + field + "." + name + "' must be a whole number of at least 1 (got " + value
          + "); leave it out (or null) for no limit");
    }
    return number.longValue();
  }
}
