package dev.gantry.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.common.ApiException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Reading limits objects: what a request may set, and the 400s that name the wrong field. */
class LimitsTest {

  @Test
  void readsEveryFieldAndDefaultsTheWindowToAMinute() {
    Limits limits = Limits.parse(new JsonObject().put("requests_per_minute", 60).put("tokens_per_minute", 1000)
        .put("concurrent_requests", 4).put("tokens_per_day", 10_000).put("tokens_per_month", 200_000), "limits");
    assertThat(limits).isEqualTo(new Limits(60, 1000, 4, 60, 10_000, 200_000));
    assertThat(limits.hasRates()).isTrue();
    assertThat(limits.hasQuotas()).isTrue();
    assertThat(Limits.parse(null, "limits")).isEqualTo(Limits.NONE);
    assertThat(Limits.parse(new JsonObject().put("window_seconds", 10), "limits").windowMillis()).isEqualTo(10_000);
  }

  @Test
  void zeroOrNegativeWindowsAndCountsAre400sNamingTheField() {
    assertThatThrownBy(() -> Limits.parse(new JsonObject().put("window_seconds", 0), "limits"))
        .isInstanceOf(ApiException.class).hasMessageContaining("'limits.window_seconds'");
    assertThatThrownBy(() -> Limits.parse(new JsonObject().put("window_seconds", -5), "limits"))
        .isInstanceOf(ApiException.class).hasMessageContaining("'limits.window_seconds'");
    assertThatThrownBy(() -> Limits.parse(new JsonObject().put("requests_per_minute", -1), "limits"))
        .isInstanceOf(ApiException.class).hasMessageContaining("'limits.requests_per_minute'");
    assertThatThrownBy(() -> Limits.parse(new JsonObject().put("tokens_per_day", 1.5), "limits"))
        .isInstanceOf(ApiException.class).hasMessageContaining("'limits.tokens_per_day'");
    assertThat(((ApiException) catchThrowable(() -> Limits.parse(new JsonObject().put("window_seconds", 0), "limits")))
        .status()).isEqualTo(400);
  }

  @Test
  void aStoredValueThatCannotBeReadCountsAsNoLimit() {
    assertThat(Limits.of(new JsonObject().put("requests_per_minute", "many"))).isEqualTo(Limits.NONE);
  }

  private static Throwable catchThrowable(Runnable runnable) {
    try {
      runnable.run();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }
}
