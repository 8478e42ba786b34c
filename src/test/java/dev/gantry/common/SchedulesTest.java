package dev.gantry.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SchedulesTest {

  private static JsonObject model(int replicas, JsonObject... rules) {
    return new JsonObject().put("replicas", replicas).put("schedules", new JsonArray(java.util.List.of((Object[]) rules)));
  }

  private static JsonObject weekdays() {
    return new JsonObject().put("days", "mon-fri").put("from", "08:00").put("to", "20:00")
        .put("time_zone", "Europe/Berlin").put("replicas", 4);
  }

  @Test
  void aWeekdayWindowIsOpenOnWeekdaysBetweenItsHoursInItsTimeZone() {
    JsonObject model = model(1, weekdays());
    // Monday 2026-11-30 07:30 UTC is 08:30 in Berlin (CET, UTC+1)
    assertThat(Schedules.replicas(model, Instant.parse("2026-11-30T07:30:00Z"))).isEqualTo(4);
    assertThat(Schedules.replicas(model, Instant.parse("2026-11-30T06:59:00Z"))).as("07:59 in Berlin").isEqualTo(1);
    assertThat(Schedules.replicas(model, Instant.parse("2026-11-30T19:00:00Z"))).as("20:00 in Berlin: closed")
        .isEqualTo(1);
    assertThat(Schedules.replicas(model, Instant.parse("2026-12-05T10:00:00Z"))).as("Saturday").isEqualTo(1);
    // summer time: Monday 2026-06-01 06:30 UTC is 08:30 in Berlin (CEST, UTC+2)
    assertThat(Schedules.replicas(model, Instant.parse("2026-06-01T06:30:00Z"))).isEqualTo(4);
  }

  @Test
  void aWindowOverMidnightBelongsToTheDayItStarts() {
    JsonObject nights = new JsonObject().put("days", "fri").put("from", "22:00").put("to", "06:00").put("replicas", 0);
    JsonObject model = model(2, nights);
    assertThat(Schedules.replicas(model, Instant.parse("2026-12-04T23:00:00Z"))).as("Friday 23:00").isZero();
    assertThat(Schedules.replicas(model, Instant.parse("2026-12-05T05:59:00Z"))).as("Saturday 05:59").isZero();
    assertThat(Schedules.replicas(model, Instant.parse("2026-12-05T23:00:00Z"))).as("Saturday 23:00").isEqualTo(2);
    assertThat(Schedules.replicas(model, Instant.parse("2026-12-04T05:00:00Z"))).as("Friday 05:00").isEqualTo(2);
  }

  @Test
  void theFirstOpenWindowWinsAndItsBoundsAreReported() {
    JsonObject model = model(1, new JsonObject().put("days", "daily").put("from", "00:00").put("to", "12:00").put("min", 3),
        new JsonObject().put("days", "daily").put("from", "00:00").put("to", "23:59").put("min", 1).put("max", 2));
    Schedules.Override open = Schedules.at(model, Instant.parse("2026-11-30T10:00:00Z"));
    assertThat(open.index()).isZero();
    assertThat(open.min()).isEqualTo(3);
    assertThat(Schedules.at(model, Instant.parse("2026-11-30T13:00:00Z")).index()).isEqualTo(1);
  }

  @Test
  void daysParseRangesListsAndWrapAround() {
    assertThat(Schedules.days("mon-wed,fri")).hasSize(4);
    assertThat(Schedules.days("sat-mon")).hasSize(3);
    assertThat(Schedules.days("daily")).hasSize(7);
  }

  @Test
  void badRulesSayWhatIsExpected() {
    assertThat(Schedules.problem(new JsonArray().add(weekdays().put("days", "weekdays")), false))
        .contains("days must be like mon-fri");
    assertThat(Schedules.problem(new JsonArray().add(weekdays().put("from", "8am")), false)).contains("HH:MM");
    assertThat(Schedules.problem(new JsonArray().add(weekdays().put("time_zone", "Mars/Olympus")), false))
        .contains("IANA zone");
    assertThat(Schedules.problem(new JsonArray().add(weekdays()), true)).contains("sets min and/or max, not replicas");
    assertThat(Schedules.problem(new JsonArray().add(weekdays().copy().put("replicas", (Integer) null).put("min", 2)), false))
        .contains("autoscale bounds");
    assertThat(Schedules.problem(new JsonArray().add(weekdays()), false)).isNull();
  }
}
