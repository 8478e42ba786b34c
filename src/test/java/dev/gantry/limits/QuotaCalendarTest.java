package dev.gantry.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Quota periods by the calendar of a configured time zone. */
class QuotaCalendarTest {

  @Test
  void daysAndMonthsFollowTheZonesCalendar() {
    QuotaCalendar utc = new QuotaCalendar(ZoneId.of("UTC"));
    QuotaCalendar tokyo = new QuotaCalendar(ZoneId.of("Asia/Tokyo"));
    long lateOnTheLastDay = Instant.parse("2026-11-30T20:00:00Z").toEpochMilli();

    assertThat(utc.day(lateOnTheLastDay).name()).isEqualTo("d2026-11-30");
    assertThat(utc.day(lateOnTheLastDay).endsAt()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(utc.month(lateOnTheLastDay).name()).isEqualTo("m2026-11");
    assertThat(tokyo.day(lateOnTheLastDay).name()).isEqualTo("d2026-12-01");
    assertThat(tokyo.day(lateOnTheLastDay).endsAt()).isEqualTo(Instant.parse("2026-12-01T15:00:00Z"));
    assertThat(tokyo.month(lateOnTheLastDay).name()).isEqualTo("m2026-12");
    assertThat(tokyo.month(lateOnTheLastDay).endsAt()).isEqualTo(Instant.parse("2026-12-31T15:00:00Z"));
  }

  @Test
  void aDayAcrossADaylightSavingChangeIsTwentyThreeHoursLong() {
    QuotaCalendar berlin = new QuotaCalendar(ZoneId.of("Europe/Berlin"));
    QuotaCalendar.Period day = berlin.day(Instant.parse("2026-03-29T12:00:00Z").toEpochMilli());
    assertThat(day.endsAt().toEpochMilli() - day.startMs()).isEqualTo(23 * 3_600_000L);
  }

  @Test
  void theCachedPeriodMovesOnAtMidnightAndBackWhenTheClockDoes() {
    QuotaCalendar utc = new QuotaCalendar(ZoneId.of("UTC"));
    long before = Instant.parse("2026-12-31T23:59:59.999Z").toEpochMilli();
    assertThat(utc.day(before).name()).isEqualTo("d2026-12-31");
    assertThat(utc.day(before + 1).name()).isEqualTo("d2027-01-01");
    assertThat(utc.month(before + 1).name()).isEqualTo("m2027-01");
    assertThat(utc.day(before).name()).isEqualTo("d2026-12-31");
    assertThat(utc.month(before).name()).isEqualTo("m2026-12");
  }
}
