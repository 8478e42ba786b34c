package dev.gantry.hub;

import java.util.function.Consumer;

/**
 * Turns byte counts sampled over time into {@link DownloadProgress} reports: never backwards (a file
 * fetched again after a failed check does not make the bar jump back), the rate over the last interval,
 * the time left at that rate. Called from one thread at a time.
 */
final class ProgressMeter {

  private final long total;
  private final Consumer<DownloadProgress> sink;
  private long lastBytes = -1;
  private long lastNanos;

  ProgressMeter(long total, Consumer<DownloadProgress> sink) {
    this.total = total;
    this.sink = sink;
  }

  void report(long bytes, long nanos) {
    long shown = Math.max(bytes, Math.max(lastBytes, 0));
    if (shown == lastBytes) {
      return;
    }
    long rate = 0;
    if (lastBytes >= 0 && nanos > lastNanos) {
      rate = (shown - lastBytes) * 1_000_000_000L / (nanos - lastNanos);
    }
    // boxed on both branches: a primitive one would unbox the null (unknown time left) and throw
    Long eta = rate > 0 ? Long.valueOf(Math.max(0, (total - shown) / rate)) : shown >= total ? Long.valueOf(0) : null;
    lastBytes = shown;
    lastNanos = nanos;
    sink.accept(new DownloadProgress(shown, total, rate, eta));
  }
}
