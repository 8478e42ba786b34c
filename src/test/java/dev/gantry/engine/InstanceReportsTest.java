package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InstanceReportsTest {

  @Test
  void aStartingEnginesWaitIsSaidInSecondsThenMinutesThenHours() {
    assertThat(InstanceReports.elapsed(5)).isEqualTo("5 s");
    assertThat(InstanceReports.elapsed(119)).isEqualTo("119 s");
    assertThat(InstanceReports.elapsed(120)).isEqualTo("2 min");
    assertThat(InstanceReports.elapsed(7199)).isEqualTo("119 min");
    assertThat(InstanceReports.elapsed(7500)).isEqualTo("2 h 5 min");
  }
}
