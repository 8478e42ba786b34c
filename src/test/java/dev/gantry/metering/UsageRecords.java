package dev.gantry.metering;

import dev.gantry.common.UsageRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Usage records for tests: {@code model} groups a test's records, {@code id} makes each unique. */
final class UsageRecords {

  private UsageRecords() {
  }

  /**
   * A record of now, to the microsecond. Its time always prints with six decimals, so that records whose ids
   * are as long are as long in the journal (a test finds the n-th record at n times one's length):
   * {@code Instant.toString} prints a whole millisecond with three, which used to move the offsets one run in
   * a thousand or so.
   */
  static UsageRecord record(String id, String model) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    Instant sixDecimals = now.getNano() % 1_000_000 == 0 ? now.plusNanos(1_000) : now;
    return new UsageRecord(id, "req-" + id, sixDecimals, 1, "admin", null, model,
        "i-1", "n1", "n1", "chat.completions", 3, 4, 12, null, 200, "ok");
  }
}
