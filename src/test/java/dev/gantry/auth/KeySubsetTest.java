package dev.gantry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.auth.KeySubset.Limits;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("a key creates only keys within itself")
class KeySubsetTest {

  private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 11, 30, 12, 0, 0, 0, ZoneOffset.UTC);

  private static Limits key(String scope, List<String> models, OffsetDateTime expires) {
    return new Limits(scope, models, expires);
  }

  @Test
  void starCoversEveryScope() {
    Limits caller = key("*", null, null);

    assertThat(KeySubset.refusal(caller, key("*", null, null))).isNull();
    assertThat(KeySubset.refusal(caller, key("management", null, null))).isNull();
    assertThat(KeySubset.refusal(caller, key("inference", List.of("m"), NOW))).isNull();
  }

  @Test
  void aManagementKeyCreatesOnlyManagementKeys() {
    Limits caller = key("management", null, null);

    assertThat(KeySubset.refusal(caller, key("management", null, null))).isNull();
    assertThat(KeySubset.refusal(caller, key("*", null, null))).contains("scope 'management'");
    assertThat(KeySubset.refusal(caller, key("inference", null, null))).contains("scope 'management'");
  }

  @Test
  void aRestrictedKeyCreatesOnlyKeysForSomeOfItsModels() {
    Limits caller = key("*", List.of("a", "b"), null);

    assertThat(KeySubset.refusal(caller, key("*", List.of("a"), null))).isNull();
    assertThat(KeySubset.refusal(caller, key("*", List.of("a", "b"), null))).isNull();
    assertThat(KeySubset.refusal(caller, key("*", null, null))).contains("allowed_models");
    assertThat(KeySubset.refusal(caller, key("*", List.of("a", "c"), null))).contains("[c]");
  }

  @Test
  void aKeyThatExpiresCreatesOnlyKeysThatExpireNoLater() {
    Limits caller = key("*", null, NOW.plusDays(1));

    assertThat(KeySubset.refusal(caller, key("*", null, NOW.plusHours(1)))).isNull();
    assertThat(KeySubset.refusal(caller, key("*", null, NOW.plusDays(1)))).isNull();
    assertThat(KeySubset.refusal(caller, key("*", null, NOW.plusDays(1).plusSeconds(1)))).contains("outlive");
    assertThat(KeySubset.refusal(caller, key("*", null, null))).contains("expires_in");
  }

  @Test
  void aKeyWithoutExpiryMayCreateAnyExpiry() {
    Limits caller = key("management", List.of("a"), null);

    assertThat(KeySubset.refusal(caller, key("management", List.of("a"), null))).isNull();
    assertThat(KeySubset.refusal(caller, key("management", List.of("a"), NOW.plusYears(5)))).isNull();
  }
}
