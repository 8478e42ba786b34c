package dev.gantry.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressMeterTest {

  private final List<DownloadProgress> reports = new ArrayList<>();
  private final ProgressMeter meter = new ProgressMeter(1_000, reports::add);

  @Test
  void theFirstReportOfADownloadUnderWayHasNoRateAndNoTimeLeft() {
    meter.report(250, 1_000_000_000L);

    assertThat(reports).containsExactly(new DownloadProgress(250, 1_000, 0, null));
  }

  @Test
  void laterReportsGiveTheRateOverTheIntervalAndTheTimeLeftAtIt() {
    meter.report(0, 0);
    meter.report(250, 1_000_000_000L);
    meter.report(500, 2_000_000_000L);

    assertThat(reports).extracting(DownloadProgress::bytesPerSecond, DownloadProgress::etaSeconds)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, null), org.assertj.core.groups.Tuple.tuple(250L, 3L),
            org.assertj.core.groups.Tuple.tuple(250L, 2L));
  }

  @Test
  void aStalledDownloadIsNotReportedAgainAndNeverGoesBackwards() {
    meter.report(400, 1_000_000_000L);
    meter.report(400, 2_000_000_000L);
    meter.report(100, 3_000_000_000L);
    meter.report(1_000, 4_000_000_000L);

    assertThat(reports).extracting(DownloadProgress::bytes).containsExactly(400L, 1_000L);
    assertThat(reports.get(1).etaSeconds()).isZero();
  }
}
