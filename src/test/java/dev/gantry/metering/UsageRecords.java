package dev.gantry.metering;

import dev.gantry.common.UsageRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Usage records for tests: {@code model} groups a test's records, {@code id} makes each unique. */
final class UsageRecords {

  private UsageRecords() {
  }

  static UsageRecord record(String id, String model) {
    return new UsageRecord(id, "req-" + id, Instant.now().truncatedTo(ChronoUnit.MICROS), 1, "admin", null, model,
        "i-1", "n1", "n1", "chat.completions", 3, 4, 12, null, 200, "ok");
  }
}
