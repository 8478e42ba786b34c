package dev.gantry.metering;

import dev.gantry.common.UsageRecord;

/**
 * A usage record as the one line of JSON {@link UsageRecord#toJson} describes, written straight into a
 * {@link StringBuilder}: the journal writes one per gateway request on the event loop, where building a
 * map of seventeen entries and running a generator over it cost more than the write itself. The reader
 * ({@link JournalFrame#decode}) parses it with the ordinary JSON parser, so the two stay one format.
 */
final class RecordJson {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RecordJson() {
  }

  static String encode(UsageRecord record) {
    StringBuilder out = new StringBuilder(384);
    out.append('{');
    string(out, "id", record.id()).append(',');
    string(out, "request_id", record.requestId()).append(',');
    string(out, "created_at", record.createdAt().toString()).append(',');
    number(out, "user_id", record.userId()).append(',');
    string(out, "username", record.username()).append(',');
    string(out, "api_key_id", record.apiKeyId()).append(',');
    string(out, "model", record.model()).append(',');
    string(out, "instance_id", record.instanceId()).append(',');
    string(out, "node_name", record.nodeName()).append(',');
    string(out, "gateway_node", record.gatewayNode()).append(',');
    string(out, "operation", record.operation()).append(',');
    number(out, "prompt_tokens", record.promptTokens()).append(',');
    number(out, "completion_tokens", record.completionTokens()).append(',');
    number(out, "duration_ms", record.durationMs()).append(',');
    name(out, "ttft_ms");
    if (record.ttftMs() == null) {
      out.append("null");
    } else {
      out.append(record.ttftMs().longValue());
    }
    out.append(',');
    number(out, "status", record.status()).append(',');
    string(out, "outcome", record.outcome()).append(',');
    name(out, "cost");
    Double cost = record.cost();
    if (cost == null || !Double.isFinite(cost)) {
      out.append("null");
    } else {
      out.append(cost.doubleValue());
    }
    return out.append('}').toString();
  }

  private static StringBuilder name(StringBuilder out, String name) {
    return out.append('"').append(name).append("\":");
  }

  private static StringBuilder number(StringBuilder out, String name, long value) {
    return name(out, name).append(value);
  }

  private static StringBuilder string(StringBuilder out, String name, String value) {
    name(out, name);
    if (value == null) {
      return out.append("null");
    }
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                .append(HEX[c & 0xf]);
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }
}
