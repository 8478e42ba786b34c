package dev.gantry.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The gateway benchmark's tables: one row per target and scenario, with the gateway's overhead over the direct call. */
final class BenchReport {

  private final List<String> targets;
  private final List<String> requestRows = new ArrayList<>();
  private final List<String> streamRows = new ArrayList<>();

  BenchReport(List<String> targets) {
    this.targets = targets;
  }

  void requests(String scenario, List<LoadClient.Samples> results) {
    LoadClient.Samples direct = results.get(0);
    for (int i = 0; i < results.size(); i++) {
      LoadClient.Samples s = results.get(i);
      String overhead = i == 0 ? "" : String.format(Locale.ROOT, "p50 %+.3f ms, p99 %+.3f ms, %.2fx req/s, cpu %+.0f us/req",
          s.millis(0.5) - direct.millis(0.5), s.millis(0.99) - direct.millis(0.99), s.perSecond() / direct.perSecond(),
          s.jvmCpuMicros() + s.proxyCpuMicros() - direct.jvmCpuMicros());
      requestRows.add(String.format(Locale.ROOT, "%-28s %-8s %9.0f %9.3f %9.3f %9.3f %6d %8.0f  %s", scenario,
          targets.get(i), s.perSecond(), s.millis(0.5), s.millis(0.99), s.millis(0.999), s.failures(),
          s.jvmCpuMicros() + s.proxyCpuMicros(), overhead));
    }
  }

  void streams(String scenario, List<LoadClient.Samples[]> results) {
    LoadClient.Samples[] direct = results.get(0);
    for (int i = 0; i < results.size(); i++) {
      LoadClient.Samples ttft = results.get(i)[0];
      LoadClient.Samples gaps = results.get(i)[1];
      String overhead = i == 0 ? "" : String.format(Locale.ROOT,
          "TTFT p50 %+.3f ms, p99 %+.3f ms; gap p99 %+.3f ms; cpu %+.0f us/stream",
          ttft.millis(0.5) - direct[0].millis(0.5), ttft.millis(0.99) - direct[0].millis(0.99),
          gaps.millis(0.99) - direct[1].millis(0.99), ttft.jvmCpuMicros() + ttft.proxyCpuMicros() - direct[0].jvmCpuMicros());
      streamRows.add(String.format(Locale.ROOT, "%-24s %-8s %8d %9.3f %9.3f %9.3f %9.3f %6d  %s", scenario, targets.get(i),
          ttft.sorted().length, ttft.millis(0.5), ttft.millis(0.99), gaps.millis(0.5), gaps.millis(0.99), ttft.failures(),
          overhead));
    }
  }

  void print(PrintStream out) {
    out.println();
    out.println("non-streaming chat completions (latency in ms)");
    out.println("cpu: CPU time per request of the load generator plus the proxy (gateway node in this JVM, or nginx)");
    out.printf(Locale.ROOT, "%-28s %-8s %9s %9s %9s %9s %6s %8s  %s%n", "scenario", "target", "req/s", "p50", "p99", "p99.9",
        "fail", "cpu us", "vs direct");
    requestRows.forEach(out::println);
    out.println();
    out.printf(Locale.ROOT, "streamed chat completions: %d tokens %d ms apart (latency in ms)%n", BenchEngine.TOKENS,
        BenchEngine.TOKEN_INTERVAL_MS);
    out.printf(Locale.ROOT, "%-24s %-8s %8s %9s %9s %9s %9s %6s  %s%n", "scenario", "target", "streams", "TTFT p50",
        "TTFT p99", "gap p50", "gap p99", "fail", "vs direct");
    streamRows.forEach(out::println);
  }
}
