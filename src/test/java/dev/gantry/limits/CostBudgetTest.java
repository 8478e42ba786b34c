package dev.gantry.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.common.ApiException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Cost budgets and prices: what a request costs, the 400s of negative prices and budgets, and a spent
 * budget that renews at midnight of the configured time zone, not UTC's. The ledger is only charged and
 * read here (never flushed), so it needs no cluster map.
 */
class CostBudgetTest {

  @Test
  void aRequestCostsItsTokensTimesThePricePerMillion() {
    Prices prices = Prices.parse(new JsonObject().put("prompt_per_million", 0.5).put("completion_per_million", 1.5),
        "prices");
    assertThat(prices.costMicros(1_000_000, 0)).isEqualTo(500_000);
    assertThat(prices.costMicros(7, 6)).as("7 × 0.5 + 6 × 1.5 millionths").isEqualTo(13);
    assertThat(Prices.amount(prices.costMicros(2_000_000, 1_000_000))).isEqualTo(2.5);
  }

  @Test
  void negativePricesAndBudgetsAre400sNamingTheField() {
    assertThatThrownBy(() -> Prices.parse(new JsonObject().put("prompt_per_million", -1), "prices"))
        .isInstanceOf(ApiException.class).hasMessageContaining("'prices.prompt_per_million'")
        .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(400));
    assertThatThrownBy(() -> Prices.parse(new JsonObject().put("completion_per_million", "cheap"), "prices"))
        .isInstanceOf(ApiException.class).hasMessageContaining("'prices.completion_per_million'");
    assertThatThrownBy(() -> Limits.parse(new JsonObject().put("cost_per_day", -2.5), "limits"))
        .isInstanceOf(ApiException.class).hasMessageContaining("'limits.cost_per_day'");
    assertThatThrownBy(() -> Limits.parse(new JsonObject().put("cost_per_month", 0), "limits"))
        .isInstanceOf(ApiException.class).hasMessageContaining("'limits.cost_per_month'");
    Limits budget = Limits.parse(new JsonObject().put("cost_per_day", 2.5), "limits");
    assertThat(budget.costPerDayMicros()).isEqualTo(2_500_000);
    assertThat(budget.hasQuotas()).isTrue();
    assertThat(budget.hasCostQuotas()).isTrue();
  }

  @Test
  void aSpentDailyBudgetRefusesUntilMidnightInTheConfiguredZone() {
    long lateEvening = Instant.parse("2026-12-01T14:30:00Z").toEpochMilli();  // 23:30 in Tokyo
    AtomicLong clock = new AtomicLong(lateEvening);
    QuotaLedger ledger = new QuotaLedger(null, new QuotaCalendar(ZoneId.of("Asia/Tokyo")), clock::get, "EUR");
    Limits budget = Limits.parse(new JsonObject().put("cost_per_day", 1.0), "limits");

    ledger.chargeCost("k:a", 600_000);
    assertThat(ledger.refusal("k:a", "API key 'a'", budget)).isNull();
    ledger.chargeCost("k:a", 400_000);
    assertThat(ledger.refusal("k:a", "API key 'a'", budget))
        .contains("API key 'a' has spent its budget of 1 EUR for today").contains("2026-12-01T15:00:00Z");
    assertThat(ledger.secondsUntilRenewal("k:a", budget)).isEqualTo(30 * 60);
    JsonObject view = ledger.view("k:a", budget).getJsonObject("cost_per_day");
    assertThat(view.getDouble("used")).isEqualTo(1.0);
    assertThat(view.getDouble("remaining")).isZero();
    assertThat(view.getString("currency")).isEqualTo("EUR");
    assertThat(ledger.view("k:a", Limits.parse(new JsonObject().put("tokens_per_day", 5), "limits"))
        .getJsonObject("tokens_per_day").getLong("used")).as("tokens and cost are counted apart").isZero();

    clock.set(Instant.parse("2026-12-01T15:00:00Z").toEpochMilli());  // midnight in Tokyo, still Dec 1 in UTC
    assertThat(ledger.refusal("k:a", "API key 'a'", budget)).isNull();
    assertThat(ledger.view("k:a", budget).getJsonObject("cost_per_day").getDouble("remaining")).isEqualTo(1.0);
  }
}
