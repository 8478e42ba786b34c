package dev.gantry.node.history;

import dev.gantry.common.ApiException;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The resolutions history keeps, each bounded: 10 s for an hour, 1 min for a day, 10 min for a month. */
public enum HistoryRange {
  HOUR("1h", 10_000, 3_600_000L),
  DAY("24h", 60_000, 86_400_000L),
  MONTH("30d", 600_000, 30L * 86_400_000L);

  private final String label;
  private final long stepMs;
  private final long spanMs;

  HistoryRange(String label, long stepMs, long spanMs) {
    this.label = label;
    this.stepMs = stepMs;
    this.spanMs = spanMs;
  }

  public String label() {
    return label;
  }

  public long stepMs() {
    return stepMs;
  }

  public long spanMs() {
    return spanMs;
  }

  /** Points a series keeps at this resolution. */
  int capacity() {
    return (int) (spanMs / stepMs);
  }

  public static Optional<HistoryRange> of(String label) {
    return Arrays.stream(values()).filter(r -> r.label.equals(label)).findFirst();
  }

  /** The range a request's {@code range} parameter asks for (absent: an hour); 400 naming the choices otherwise. */
  public static HistoryRange requested(String label) {
    String asked = label == null ? HOUR.label() : label;
    return of(asked).orElseThrow(() -> ApiException.badRequest("range must be one of "
        + Arrays.stream(values()).map(HistoryRange::label).collect(Collectors.joining(", ")) + ", got '" + asked + "'"));
  }
}
