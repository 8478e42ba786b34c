package dev.gantry.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.UsageRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The journal's hand-written record JSON: the record's values in a fixed order, read back whole")
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
      JsonArray values = new JsonArray(line);
      assertThat(values).hasSize(RecordJson.FIELDS.size());
      JsonObject named = new JsonObject();
      for (int i = 0; i < values.size(); i++) {
        named.put(RecordJson.FIELDS.get(i), values.getValue(i));
      }
      assertThat(UsageRecord.fromJson(named)).isEqualTo(record);
      assertThat(RecordJson.decode(line)).isEqualTo(record);
    }
  }

  @Test
  @DisplayName("a line lists values without key names: well under the object form's size")
  void linesCarryNoKeyNames() {
    UsageRecord typical = new UsageRecord("mj3k1x2a9-1y2b3c4d5e6f7g8h", "Zk81jQp0aLm2nB4vC6xD", Instant.now(), 1, "admin",
        "0b9f5c1e-5d2a-4c3e-9f6a-7b8c9d0e1f2a", "qwen3-8b", "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", "node-a", "node-a",
        "chat.completions", 25, 120, 834, 41L, 200, "ok", 0.000385);

    int line = RecordJson.encode(typical).getBytes(StandardCharsets.UTF_8).length;
    int object = typical.toJson().encode().getBytes(StandardCharsets.UTF_8).length;

    assertThat(line).isLessThan(object - 150);
  }

  @Test
  @DisplayName("an object line that an earlier version journaled still decodes; a line of the wrong shape does not")
  void earlierObjectLinesStillDecode() {
    UsageRecord record = new UsageRecord("id-9", "r", Instant.parse("2026-11-30T10:00:00.5Z"), 9, "u", "k", "m", "i",
        "n", "g", "chat", 3, 4, 5, null, 200, "ok", 0.25);

    byte[] earlier = framed(record.toJson().encode());
    byte[] tooShort = framed("[\"id-9\",\"r\"]");

    assertThat(JournalFrame.decode(earlier, 0, earlier.length)).isEqualTo(record);
    assertThat(JournalFrame.decode(tooShort, 0, tooShort.length)).isNull();
  }

  /** {@code json} framed as the journal frames a line (checksum, space, JSON), without the newline. */
  private static byte[] framed(String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    CRC32C crc = new CRC32C();
    crc.update(body);
    byte[] prefix = String.format("%08x ", (int) crc.getValue()).getBytes(StandardCharsets.US_ASCII);
    byte[] line = Arrays.copyOf(prefix, prefix.length + body.length);
    System.arraycopy(body, 0, line, prefix.length, body.length);
    return line;
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
