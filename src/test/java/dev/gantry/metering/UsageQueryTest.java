package dev.gantry.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.common.ApiException;
import dev.gantry.metering.UsageQuery.Dimension;
import dev.gantry.metering.UsageQuery.Outcome;
import io.vertx.core.MultiMap;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class UsageQueryTest {

  @Test
  void readsGroupsInOrderWithoutDuplicatesAndTheTimeWindow() {
    MultiMap params = MultiMap.caseInsensitiveMultiMap().add("group_by", "model, day").add("group_by", "user,model")
        .add("from", "2025-01-31").add("to", "2025-02-01T12:00:00+02:00");

    UsageQuery query = UsageQuery.parse(params, 7L);

    assertThat(query.groupBy()).containsExactly(Dimension.MODEL, Dimension.DAY, Dimension.USER);
    assertThat(query.from()).isEqualTo(OffsetDateTime.parse("2025-01-31T00:00:00Z"));
    assertThat(query.to()).isEqualTo(OffsetDateTime.parse("2025-02-01T12:00:00+02:00"));
    assertThat(query.onlyUser()).isEqualTo(7L);
  }

  @Test
  void withoutParametersItIsOneTotalOverAllTime() {
    UsageQuery query = UsageQuery.parse(MultiMap.caseInsensitiveMultiMap(), null);

    assertThat(query.groupBy()).isEmpty();
    assertThat(query.from()).isNull();
    assertThat(query.to()).isNull();
  }

  @Test
  void rejectsUnknownGroupsAndBadTimesNamingTheParameter() {
    assertRejected(MultiMap.caseInsensitiveMultiMap().add("group_by", "model,color"), "'group_by': 'color' is not one of");
    assertRejected(MultiMap.caseInsensitiveMultiMap().add("group_by", "model;drop table"), "'group_by'");
    assertRejected(MultiMap.caseInsensitiveMultiMap().add("from", "yesterday"), "'from': 'yesterday'");
    assertRejected(MultiMap.caseInsensitiveMultiMap().add("to", "2025-13-01"), "'to'");
    assertRejected(MultiMap.caseInsensitiveMultiMap().add("from", "2025-02-01").add("to", "2025-01-01"),
        "'from' (2025-02-01T00:00Z) must be before 'to'");
  }

  @Test
  void readsOutcomesAndStatusClassesAsTheStoredValues() {
    MultiMap params = MultiMap.caseInsensitiveMultiMap().add("outcome", "failed, Cancelled").add("outcome", "failed")
        .add("status_class", "5xx,4XX");

    UsageQuery query = UsageQuery.parse(params, null);

    assertThat(query.outcomes()).containsExactly(Outcome.FAILED, Outcome.CANCELLED);
    assertThat(query.storedOutcomes()).containsExactly("error", "cancelled");
    assertThat(query.statusClassDigits()).containsExactly(5, 4);
  }

  @Test
  void withoutOutcomeOrStatusClassEveryRequestCounts() {
    UsageQuery query = UsageQuery.parse(MultiMap.caseInsensitiveMultiMap().add("outcome", " "), null);

    assertThat(query.storedOutcomes()).isNull();
    assertThat(query.statusClassDigits()).isNull();
  }

  @Test
  void rejectsUnknownOutcomesAndStatusClassesListingTheAllowedOnes() {
    assertRejected(MultiMap.caseInsensitiveMultiMap().add("outcome", "ok"),
        "'outcome': 'ok' is not one of succeeded, failed, cancelled");
    assertRejected(MultiMap.caseInsensitiveMultiMap().add("status_class", "200"),
        "'status_class': '200' is not one of 2xx, 4xx, 5xx");
  }

  private static void assertRejected(MultiMap params, String message) {
    assertThatThrownBy(() -> UsageQuery.parse(params, null))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
        .hasMessageContaining(message);
  }
}
