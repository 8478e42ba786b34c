package dev.gantry.engine.backend;

import java.util.List;

/**
 * One engine option whose existence depends on the version: present from {@code since} (inclusive,
 * null = always) until {@code until} (exclusive, null = still there); {@code replacement} says what to
 * use instead outside that range. Options not listed are passed through and judged by the engine.
 */
public record Flag(List<String> names, String since, String until, String replacement) {

  public static Flag removedIn(String until, String replacement, String... names) {
    return new Flag(List.of(names), null, until, replacement);
  }

  public static Flag addedIn(String since, String... names) {
    return new Flag(List.of(names), since, null, null);
  }

  public static Flag always(String... names) {
    return new Flag(List.of(names), null, null, null);
  }

  public boolean existsIn(EngineVersion version) {
    return (since == null || version.atLeast(since)) && (until == null || version.before(until));
  }

  /** The range in words, e.g. {@code ">= 0.8.0"} or {@code "< 0.8.3"}. */
  public String range() {
    if (since == null && until == null) {
      return "all versions";
    }
    if (since == null) {
      return "< " + until;
    }
    return until == null ? ">= " + since : ">= " + since + ", < " + until;
  }
}
