package dev.gantry.node.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.node.history.MetricsHistory.Key;
import dev.gantry.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The tiers of a node's history, driven by a fake clock: averages per step, bounded rings, the file. */
class MetricsHistoryTest {

  private static final Key CPU = new Key(null, "cpu");
  private static final Key GPU_POWER = new Key("n1:cuda:0", "power");
  private static final long T0 = 1_700_000_000_000L - 1_700_000_000_000L % 600_000; // a 10-minute boundary
  private final Path dir = TestFiles.tempDir("gantry-history-");

  @AfterEach
  void clean() {
    TestFiles.deleteRecursively(dir);
  }

  @Test
  void aMonthOfHeartbeatsStaysWithinEveryTiersBound() {
    MetricsHistory history = new MetricsHistory();
    long end = T0 + 31L * 86_400_000;
    for (long t = T0; t < end; t += 3_000) {
      history.record(t, sample((t / 3_000) % 100 / 100.0, 300.0));
    }

    assertThat(history.mostPointsIn(HistoryRange.HOUR)).isEqualTo(360);
    assertThat(history.mostPointsIn(HistoryRange.DAY)).isEqualTo(1_440);
    assertThat(history.mostPointsIn(HistoryRange.MONTH)).isEqualTo(4_320);
    long now = end - 3_000;
    List<double[]> month = history.query(HistoryRange.MONTH, now).get(CPU);
    assertThat(month).hasSizeBetween(4_320, 4_321);
    assertThat((long) month.get(0)[0]).isGreaterThanOrEqualTo(now - HistoryRange.MONTH.spanMs());
    assertThat(steps(month)).containsOnly(600_000L);
    List<double[]> hour = history.query(HistoryRange.HOUR, now).get(CPU);
    assertThat(hour).hasSizeBetween(360, 361);
    assertThat(steps(hour)).containsOnly(10_000L);
    assertThat(history.query(HistoryRange.DAY, now).get(GPU_POWER)).allSatisfy(p -> assertThat(p[1]).isEqualTo(300.0));
  }

  @Test
  void aPointIsTheAverageOfItsStepAndTheStepStillFillingShowsAtOnce() {
    MetricsHistory history = new MetricsHistory();
    history.record(T0, sample(0.2, 100.0));
    history.record(T0 + 3_000, sample(0.4, 200.0));
    history.record(T0 + 10_000, sample(0.9, null));

    List<double[]> hour = history.query(HistoryRange.HOUR, T0 + 10_000).get(CPU);
    assertThat(hour).hasSize(2);
    assertThat(hour.get(0)).containsExactly(T0, (0.2 + 0.4) / 2);
    assertThat(hour.get(1)).containsExactly(T0 + 10_000, 0.9);
    assertThat(history.query(HistoryRange.HOUR, T0 + 10_000).get(GPU_POWER)).hasSize(1)
        .allSatisfy(p -> assertThat(p).containsExactly(T0, 150.0));
    assertThat(history.query(HistoryRange.MONTH, T0 + 10_000).get(CPU)).hasSize(1)
        .allSatisfy(p -> assertThat(p[1]).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9)));
  }

  @Test
  void aSeriesNothingFedForAMonthIsDropped() {
    MetricsHistory history = new MetricsHistory();
    history.record(T0, sample(0.5, 100.0));
    long later = T0 + HistoryRange.MONTH.spanMs() + 600_000;
    history.record(later, Map.of(CPU, 0.5));

    assertThat(history.query(HistoryRange.MONTH, later)).containsOnlyKeys(CPU);
  }

  @Test
  void theFileGivesBackWhatWasSaved() throws IOException {
    MetricsHistory history = new MetricsHistory();
    for (long t = T0; t < T0 + 7_200_000; t += 3_000) {
      history.record(t, sample(0.25, 250.0));
    }
    HistoryFile file = new HistoryFile(dir.resolve("metrics-history"));
    file.save(history);

    MetricsHistory loaded = file.load();
    long now = T0 + 7_200_000;
    for (HistoryRange range : HistoryRange.values()) {
      assertThat(flatten(loaded.query(range, now))).isEqualTo(flatten(history.query(range, now)));
    }
    assertThat(Files.size(dir.resolve("metrics-history"))).isLessThan(200_000);
  }

  @Test
  void aCorruptOrForeignFileStartsEmpty() throws IOException {
    MetricsHistory history = new MetricsHistory();
    history.record(T0, sample(0.25, 250.0));
    Path path = dir.resolve("metrics-history");
    new HistoryFile(path).save(history);
    byte[] bytes = Files.readAllBytes(path);
    Files.write(path, java.util.Arrays.copyOf(bytes, bytes.length / 2));

    assertThat(new HistoryFile(path).load().query(HistoryRange.HOUR, T0)).isEmpty();
    Files.writeString(path, "not a history");
    assertThat(new HistoryFile(path).load().query(HistoryRange.HOUR, T0)).isEmpty();
    assertThat(new HistoryFile(dir.resolve("absent")).load().query(HistoryRange.HOUR, T0)).isEmpty();
  }

  private static Map<Key, Double> sample(double cpu, Double power) {
    Map<Key, Double> sample = new HashMap<>();
    sample.put(CPU, cpu);
    sample.put(GPU_POWER, power);
    return sample;
  }

  private static List<Long> steps(List<double[]> points) {
    return java.util.stream.IntStream.range(1, points.size())
        .mapToObj(i -> (long) points.get(i)[0] - (long) points.get(i - 1)[0]).distinct().toList();
  }

  private static String flatten(Map<Key, List<double[]>> series) {
    StringBuilder out = new StringBuilder();
    series.forEach((key, points) -> {
      out.append(key).append('\n');
      points.forEach(p -> out.append(p[0]).append(',').append(p[1]).append('\n'));
    });
    return out.toString();
  }
}
