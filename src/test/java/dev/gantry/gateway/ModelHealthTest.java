package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ModelHealthTest {

  private static final long T0 = 1_800_000_000_000L;

  @Test
  void countsRequestsServerErrorsAndTimeToFirstTokenOverTheWindow() {
    ModelHealth health = new ModelHealth(null, "n1");
    health.record("chat", 200, 300_000_000L, T0);
    health.record("chat", 200, 1_500_000_000L, T0 + 1_000);
    health.record("chat", 503, -1, T0 + 2_000);
    health.record("chat", 404, -1, T0 + 3_000);
    health.record("chat", 499, 70_000_000_000L, T0 + 4_000);
    health.record("unknown", 500, -1, T0);

    JsonObject summary = health.summary("chat", T0 + 5_000);

    assertThat(summary.getLong("requests")).isEqualTo(5);
    assertThat(summary.getLong("server_errors")).as("4xx and a client that left are not the model's fault").isEqualTo(1);
    assertThat(summary.getLong("window_seconds")).isEqualTo(300);
    JsonArray bounds = summary.getJsonObject("ttft").getJsonArray("bounds");
    JsonArray counts = summary.getJsonObject("ttft").getJsonArray("counts");
    assertThat(counts.size()).isEqualTo(bounds.size() + 1);
    assertThat(counts.getLong(bounds.getList().indexOf(0.5))).as("0.3 s").isEqualTo(1);
    assertThat(counts.getLong(bounds.getList().indexOf(2.0))).as("1.5 s").isEqualTo(1);
    assertThat(counts.getLong(bounds.size())).as("70 s, above every bound").isEqualTo(1);
    assertThat(health.summary("unknown", T0)).as("requests for models that do not exist are not kept").isNull();
  }

  @Test
  void requestsOlderThanFiveMinutesLeaveTheWindow() {
    ModelHealth health = new ModelHealth(null, "n1");
    health.record("chat", 500, -1, T0);
    health.record("chat", 200, -1, T0 + 200_000);

    assertThat(health.summary("chat", T0 + 290_000).getLong("requests")).isEqualTo(2);
    JsonObject later = health.summary("chat", T0 + 310_000);
    assertThat(later.getLong("requests")).isEqualTo(1);
    assertThat(later.getLong("server_errors")).isZero();
    assertThat(health.summary("chat", T0 + 520_000)).isNull();
  }
}
