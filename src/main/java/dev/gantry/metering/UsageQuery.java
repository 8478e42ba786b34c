package dev.gantry.metering;

import dev.gantry.common.ApiException;
import io.vertx.core.MultiMap;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code GET /v2/usage?group_by=model,day&from=...&to=...} as validated values: the grouping
 * dimensions (only the listed ones reach SQL), the time window and, for a non-admin, the one user whose
 * usage may be seen.
 */
public record UsageQuery(List<Dimension> groupBy, OffsetDateTime from, OffsetDateTime to, Long onlyUser) {

  /** A way to group usage: the SQL it selects and groups by, and the fields it adds to each item. */
  public enum Dimension {
    MODEL("model", "model", "model", "model"),
    USER("user", "user_id, max(username) AS username", "user_id", "user_id", "username"),
    KEY("key", "api_key_id", "api_key_id", "api_key_id"),
    NODE("node", "node_name", "node_name", "node_name"),
    OPERATION("operation", "operation", "operation", "operation"),
    DAY("day", "to_char(date_trunc('day', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day",
        "date_trunc('day', created_at AT TIME ZONE 'UTC')", "day");

    private final String param;
    private final String select;
    private final String group;
    private final List<String> fields;

    Dimension(String param, String select, String group, String... fields) {
      this.param = param;
      this.select = select;
      this.group = group;
      this.fields = List.of(fields);
    }

    public String select() {
      return select;
    }

    public String group() {
      return group;
    }

    public List<String> fields() {
      return fields;
    }

    static String allowed() {
      return Arrays.stream(values()).map(d -> d.param).collect(Collectors.joining(", "));
    }
  }

  /** Validates the query parameters; a 400 names the parameter and the value it could not use. */
  public static UsageQuery parse(MultiMap params, Long onlyUser) {
    Set<Dimension> groups = new LinkedHashSet<>();
    for (String value : params.getAll("group_by")) {
      for (String name : value.split(",")) {
        if (!name.isBlank()) {
          groups.add(dimension(name.strip()));
        }
      }
    }
    OffsetDateTime from = time(params, "from");
    OffsetDateTime to = time(params, "to");
    if (from != null && to != null && !from.isBefore(to)) {
      throw ApiException.badRequest("invalid query: 'from' (" + from + ") must be before 'to' (" + to + ")");
    }
    return new UsageQuery(new ArrayList<>(groups), from, to, onlyUser);
  }

  private static Dimension dimension(String name) {
    return Arrays.stream(Dimension.values()).filter(d -> d.param.equals(name)).findFirst()
        .orElseThrow(() -> ApiException.badRequest("invalid query parameter 'group_by': '" + name
            + "' is not one of " + Dimension.allowed()));
  }

  private static OffsetDateTime time(MultiMap params, String name) {
    String value = params.get(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return value.length() == 10 ? LocalDate.parse(value).atStartOfDay().atOffset(ZoneOffset.UTC)
          : OffsetDateTime.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("invalid query parameter '" + name + "': '" + value
          + "' is not an ISO-8601 time such as 2025-01-31T00:00:00Z or a date such as 2025-01-31");
    }
  }
}
