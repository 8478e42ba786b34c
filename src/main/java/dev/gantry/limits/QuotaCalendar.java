package dev.gantry.limits;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Quota periods by the calendar of one time zone: the day and the month an instant falls in, named
 * {@code d2026-12-01} and {@code m2026-12}, and when each ends (local midnight, so a day across a daylight
 * saving change is 23 or 25 hours long). Pure; the current periods are cached until they end, so the request
 * path asks for them without allocating.
 */
public final class QuotaCalendar {

  /** A period: its name and the instant it ends (the next one starts). */
  public record Period(String name, long startMs, Instant endsAt) {
  }

  private final ZoneId zone;
  private volatile Period day;
  private volatile Period month;

  public QuotaCalendar(ZoneId zone) {
    this.zone = zone;
  }

  public ZoneId zone() {
    return zone;
  }

  /** The day {@code nowMs} falls in. */
  public Period day(long nowMs) {
    Period current = day;
    if (current == null || nowMs >= current.endsAt().toEpochMilli() || nowMs < current.startMs()) {
      current = dayOf(Instant.ofEpochMilli(nowMs));
      day = current;
    }
    return current;
  }

  /** The month {@code nowMs} falls in. */
  public Period month(long nowMs) {
    Period current = month;
    if (current == null || nowMs >= current.endsAt().toEpochMilli() || nowMs < current.startMs()) {
      current = monthOf(Instant.ofEpochMilli(nowMs));
      month = current;
    }
    return current;
  }

  Period dayOf(Instant instant) {
    LocalDate date = instant.atZone(zone).toLocalDate();
    return new Period("d" + date, date.atStartOfDay(zone).toInstant().toEpochMilli(),
        date.plusDays(1).atStartOfDay(zone).toInstant());
  }

  Period monthOf(Instant instant) {
    LocalDate first = instant.atZone(zone).toLocalDate().withDayOfMonth(1);
    return new Period("m" + first.toString().substring(0, 7), first.atStartOfDay(zone).toInstant().toEpochMilli(),
        first.plusMonths(1).atStartOfDay(zone).toInstant());
  }
}
