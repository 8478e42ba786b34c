package dev.gantry.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeviceHealthTest {

  @Test
  void theToolsGoodStatesAreHealthy() {
    for (String good : new String[] {"OK", "ok ", "Normal", "Available", "Healthy"}) {
      assertThat(DeviceHealth.healthy(good)).as(good).isTrue();
    }
  }

  @Test
  void statesThatNameAProblemAreUnhealthy() {
    for (String bad : new String[] {"Warning", "Alarm", "Critical", "General Warning", "Error", "Abnormal", "Unavailable",
        "Device lost"}) {
      assertThat(DeviceHealth.healthy(bad)).as(bad).isFalse();
    }
  }

  @Test
  void noStateOrAnUnknownOneIsUnknownNeverAnAlarm() {
    assertThat(DeviceHealth.healthy(null)).isNull();
    assertThat(DeviceHealth.healthy("In Use")).isNull();
    assertThat(DeviceHealth.healthy("Disabled")).isNull();
  }
}
