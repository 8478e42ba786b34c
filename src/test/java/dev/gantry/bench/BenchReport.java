package dev.gantry.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The streaming benchmark's table: one row per target and scenario, with the gateway's overhead over the direct call. */
final class BenchReport {

  private final List<String> targets;
  private final List<String> streamRows = new ArrayList<>();

  BenchReport(List<String> targets) {
    this.targets = targets;
  }

  void streams(String scenario, List<LoadClient.Samples[]> results) {
    LoadClient.Samples[] direct = results.get(0);
    for (int i = 0; i < results.size(); i++) {
      LoadClient.Samples ttft = results.get(i)[0];
      LoadClient.Samples gaps = results.get(i)[1];
      String overhead = i == 0 ? "" : String.format(Locale.ROOT,
          "TTFT p50 %+.3f ms, p99 %+.3f ms; gap p99 %+.3f ms",
          ttft.millis(0.5) - direct[0].millis(0.5), ttft.millis(0.99) - direct[0].millis(0.99),
          gaps.millis(0.99) - direct[1].millis(0.99));
      streamRows.add(String.format(Locale.ROOT, "%-24s %-8s %8d %9.3f %9.3f %9.3f %9.3f %6d  %s", scenario, targets.get(i),
          ttft.sorted().length, ttft.millis(0.5), ttft.millis(0.99), gaps.millis(0.5), gaps.millis(0.99), ttft.failures(),
          overhead));
    }
  }

  void print(PrintStream out) {
    out.println();
    out.printf(Locale.ROOT, "streamed chat completions: %d tokens %d ms apart (latency in ms)%n", BenchEngine.TOKENS,
        BenchEngine.TOKEN_INTERVAL_MS);
    out.printf(Locale.ROOT, "%-24s %-8s %8s %9s %9s %9s %9s %6s  %s%n", "scenario", "target", "streams", "TTFT p50",
        "TTFT p99", "gap p50", "gap p99", "fail", "vs direct");
    streamRows.forEach(out::println);
  }
}
