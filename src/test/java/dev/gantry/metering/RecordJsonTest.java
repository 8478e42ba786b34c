package dev.gantry.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.UsageRecord;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The journal's hand-written record JSON is the record's JSON")
class RecordJsonTest {

  @Test
  @DisplayName("every field, nulls and strings that need escaping come back equal through the ordinary parser")
  void roundTrips() {
    UsageRecord awkward = new UsageRecord("id-1", "req \"quoted\" \\ back", Instant.parse("2026-12-01T04:05:06.123456Z"),
        42, "zoë \u2028 line\u2029sep \n\r\t\u0001 ✓ 😀", null, "qwen/3:8b", null, null, "gw-1", "chat",
        12, 0, 1234, null, 499, "cancelled");
    UsageRecord plain = new UsageRecord("id-2", "r", Instant.EPOCH, 1, "admin", "key-1", null, "inst-1", "node-a",
        "node-a", "embeddings", 5, 7, 0, 15L, 200, "ok");
    UsageRecord priced = new UsageRecord("id-4", "r", Instant.EPOCH, 1, "admin", "key-1", "m", "inst-1", "node-a",
        "node-a", "chat", 5, 7, 0, 15L, 200, "ok", 0.000123);
    UsageRecord tiny = new UsageRecord("id-5", "r", Instant.EPOCH, 1, "admin", "key-1", "m", "inst-1", "node-a",
        "node-a", "chat", 1, 0, 0, null, 200, "ok", 1.5e-9);
    for (UsageRecord record : new UsageRecord[] {awkward, plain, priced, tiny}) {
      String line = RecordJson.encode(record);
      assertThat(line).doesNotContain("\n").doesNotContain("\u2028");
      assertThat(new JsonObject(line)).isEqualTo(record.toJson());
      assertThat(UsageRecord.fromJson(new JsonObject(line))).isEqualTo(record);
    }
  }

  @Test
  @DisplayName("a framed line decodes back to the record")
  void framedLineDecodes() {
    UsageRecord record = new UsageRecord("id-3", "r", Instant.parse("2026-12-01T00:00:00Z"), 3, "u", "k", "m", "i", "n",
        "g", "chat", 1, 2, 3, 4L, 200, "ok");
    byte[] line = JournalFrame.encode(record);
    assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
    assertThat(JournalFrame.decode(line, 0, line.length - 1)).isEqualTo(record);
  }

  @Test
  @DisplayName("a frame reused for a shorter record after a longer one writes only the shorter line")
  void reusedFrameHoldsOnlyTheLatestLine() {
    JournalFrame frame = new JournalFrame();
    UsageRecord longer = new UsageRecord("id-long", "r".repeat(3_000), Instant.EPOCH, -7, "ü".repeat(500), "k", "m",
        "i", "n", "g", "chat", 1, 2, Long.MAX_VALUE, 4L, 200, "ok");
    UsageRecord shorter = new UsageRecord("id-short", "r", Instant.EPOCH, 0, "u", null, null, null, null, "g", "chat",
        0, 0, 0, null, 200, "ok");
    java.nio.ByteBuffer first = frame.frame(longer);
    assertThat(JournalFrame.decode(first.array(), 0, first.limit() - 1)).isEqualTo(longer);

    java.nio.ByteBuffer second = frame.frame(shorter);

    assertThat(second.array()[second.limit() - 1]).isEqualTo((byte) '\n');
    assertThat(JournalFrame.decode(second.array(), 0, second.limit() - 1)).isEqualTo(shorter);
    assertThat(second.limit()).isEqualTo(JournalFrame.encode(shorter).length);
  }
}
