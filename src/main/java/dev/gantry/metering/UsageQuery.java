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
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code GET /v2/usage?group_by=model,day&from=...&to=...&outcome=failed&status_class=5xx} as validated
 * values: the grouping dimensions (only the listed ones reach SQL), the time window, the outcomes and
 * status classes to count (empty: all) and, for a non-admin, the one user whose usage may be seen.
 */
public record UsageQuery(List<Dimension> groupBy, OffsetDateTime from, OffsetDateTime to, Set<Outcome> outcomes,
    Set<Integer> statusClasses, Long onlyUser) {

  /** How a request ended, as the API names it, and the {@code usage_records.outcome} value it stands for. */
  public enum Outcome {
    SUCCEEDED("succeeded", "ok"),
    FAILED("failed", "error"),
    CANCELLED("cancelled", "cancelled");

    private final String param;
    private final String stored;

    Outcome(String param, String stored) {
      this.param = param;
      this.stored = stored;
    }

    public String stored() {
      return stored;
    }

    static String allowed() {
      return Arrays.stream(values()).map(o -> o.param).collect(Collectors.joining(", "));
    }
  }

  /** The status classes a record can have (a cancelled request is recorded as 499). */
  static final List<String> STATUS_CLASSES = List.of("2xx", "4xx", "5xx");

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
    for (String name : values(params, "group_by")) {
      groups.add(dimension(name));
    }
    OffsetDateTime from = time(params, "from");
    OffsetDateTime to = time(params, "to");
    if (from != null && to != null && !from.isBefore(to)) {
      throw ApiException.badRequest("invalid query: 'from' (" + from + ") must be before 'to' (" + to + ")");
    }
    Set<Outcome> outcomes = new LinkedHashSet<>();
    for (String name : values(params, "outcome")) {
      outcomes.add(Arrays.stream(Outcome.values()).filter(o -> o.param.equalsIgnoreCase(name)).findFirst()
          .orElseThrow(() -> ApiException.badRequest("invalid query parameter 'outcome': '" + name
              + "' is not one of " + Outcome.allowed())));
    }
    Set<Integer> classes = new LinkedHashSet<>();
    for (String name : values(params, "status_class")) {
      if (!STATUS_CLASSES.contains(name.toLowerCase(Locale.ROOT))) {
        throw ApiException.badRequest("invalid query parameter 'status_class': '" + name + "' is not one of "
            + String.join(", ", STATUS_CLASSES));
      }
      classes.add(name.charAt(0) - '0');
    }
    return new UsageQuery(new ArrayList<>(groups), from, to, outcomes, classes, onlyUser);
  }

  /** The outcomes as stored, or null for all. */
  public String[] storedOutcomes() {
    return outcomes.isEmpty() ? null : outcomes.stream().map(Outcome::stored).toArray(String[]::new);
  }

  /** The status classes (2, 4, 5), or null for all. */
  public Integer[] statusClassDigits() {
    return statusClasses.isEmpty() ? null : statusClasses.toArray(Integer[]::new);
  }

  /** The comma-separated values of every occurrence of a parameter, trimmed, blanks left out. */
  private static List<String> values(MultiMap params, String name) {
    List<String> out = new ArrayList<>();
    for (String value : params.getAll(name)) {
      for (String part : value.split(",")) {
        if (!part.isBlank()) {
          out.add(part.strip());
        }
      }
    }
    return out;
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
