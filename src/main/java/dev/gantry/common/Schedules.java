package dev.gantry.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A model's {@code schedules}: time windows, each on some days in a time zone, that set {@code replicas}
 * (a fixed-size model) or the autoscale bounds {@code min}/{@code max} while they are open — e.g.
 * {@code {"days":"mon-fri","from":"08:00","to":"20:00","time_zone":"Europe/Berlin","min":4}}. A window whose
 * {@code to} is not after its {@code from} runs over midnight (it belongs to the day it starts). The first
 * open window wins. Pure: what applies is a function of the spec and the clock, so every node that leads
 * computes the same, and a schedule takes effect once per cluster without any record of having run.
 */
public final class Schedules {

  private static final Map<String, DayOfWeek> DAYS = Map.of("mon", DayOfWeek.MONDAY, "tue", DayOfWeek.TUESDAY,
      "wed", DayOfWeek.WEDNESDAY, "thu", DayOfWeek.THURSDAY, "fri", DayOfWeek.FRIDAY, "sat", DayOfWeek.SATURDAY,
      "sun", DayOfWeek.SUNDAY);
  private static final List<DayOfWeek> WEEK = List.of(DayOfWeek.values());

  /** What the open window sets (null fields: unchanged), and which window it is (its index, for people). */
  public record Override(int index, Integer replicas, Integer min, Integer max) {
  }

  /** The window of {@code model} open at {@code now}, or null when none is (or the model has no schedules). */
  public static Override at(JsonObject model, Instant now) {
    JsonArray rules = model == null ? null : model.getJsonArray("schedules");
    if (rules == null) {
      return null;
    }
    for (int i = 0; i < rules.size(); i++) {
      JsonObject rule = rules.getJsonObject(i);
      if (open(rule, now)) {
        return new Override(i, rule.getInteger("replicas"), rule.getInteger("min"), rule.getInteger("max"));
      }
    }
    return null;
  }

  /** The replicas a fixed-size model should have at {@code now}. */
  public static int replicas(JsonObject model, Instant now) {
    Override open = at(model, now);
    return open != null && open.replicas() != null ? open.replicas() : model.getInteger("replicas", 1);
  }

  /** Why the schedules cannot be used, or null (the schema checks types and ranges; this, their meaning). */
  public static String problem(JsonArray rules, boolean autoscaled) {
    if (rules == null) {
      return null;
    }
    for (int i = 0; i < rules.size(); i++) {
      JsonObject rule = rules.getJsonObject(i);
      String at = "schedules[" + i + "]: ";
      try {
        days(rule.getString("days", "mon-sun"));
      } catch (IllegalArgumentException e) {
        return at + e.getMessage();
      }
      for (String field : List.of("from", "to")) {
        try {
          LocalTime.parse(rule.getString(field, ""));
        } catch (DateTimeParseException e) {
          return at + field + " must be a time of day like 08:00 (24-hour HH:MM); got '" + rule.getString(field) + "'";
        }
      }
      try {
        ZoneId.of(rule.getString("time_zone", "UTC"));
      } catch (DateTimeException e) {
        return at + "time_zone must be an IANA zone like Europe/Berlin or UTC; got '" + rule.getString("time_zone") + "'";
      }
      boolean setsReplicas = rule.getValue("replicas") != null;
      boolean setsBounds = rule.getValue("min") != null || rule.getValue("max") != null;
      if (autoscaled ? setsReplicas : setsBounds) {
        return at + (autoscaled ? "an autoscaled model's schedule sets min and/or max, not replicas"
            : "min and max are autoscale bounds; a model with fixed replicas is scheduled with replicas");
      }
      if (!setsReplicas && !setsBounds) {
        return at + "say what the window sets: replicas, or min and/or max for an autoscaled model";
      }
      Integer min = rule.getInteger("min");
      Integer max = rule.getInteger("max");
      if (min != null && max != null && max < Math.max(min, 1)) {
        return at + "max (" + max + ") must be at least min (" + min + ") and at least 1";
      }
    }
    return null;
  }

  private static boolean open(JsonObject rule, Instant now) {
    ZonedDateTime local = now.atZone(ZoneId.of(rule.getString("time_zone", "UTC")));
    Set<DayOfWeek> days = days(rule.getString("days", "mon-sun"));
    LocalTime from = LocalTime.parse(rule.getString("from"));
    LocalTime to = LocalTime.parse(rule.getString("to"));
    LocalTime time = local.toLocalTime();
    if (to.isAfter(from)) {
      return days.contains(local.getDayOfWeek()) && !time.isBefore(from) && time.isBefore(to);
    }
    return days.contains(local.getDayOfWeek()) && !time.isBefore(from)
        || days.contains(local.getDayOfWeek().minus(1)) && time.isBefore(to);
  }

  /** {@code mon-fri}, {@code sat,sun}, {@code mon-wed,fri}, {@code daily}. */
  static Set<DayOfWeek> days(String spec) {
    Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
    String text = spec.trim().toLowerCase(Locale.ROOT);
    if (text.equals("daily") || text.equals("*")) {
      return EnumSet.allOf(DayOfWeek.class);
    }
    for (String part : text.split(",")) {
      String[] range = part.trim().split("-");
      DayOfWeek first = day(range[0], spec);
      DayOfWeek last = range.length > 1 ? day(range[1], spec) : first;
      for (int d = WEEK.indexOf(first); ; d = (d + 1) % 7) {
        out.add(WEEK.get(d));
        if (WEEK.get(d) == last) {
          break;
        }
      }
    }
    return out;
  }

  private static DayOfWeek day(String name, String spec) {
    DayOfWeek day = DAYS.get(name.trim());
    if (day == null) {
      throw new IllegalArgumentException("days must be like mon-fri, sat,sun or daily (three-letter English day "
          + "names); got '" + spec + "'");
    }
    return day;
  }

  private Schedules() {
  }
}
