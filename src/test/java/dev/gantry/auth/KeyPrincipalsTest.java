package dev.gantry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Verified API-key callers are kept only while nothing changed")
class KeyPrincipalsTest {

  private static final Principal ALICE = new Principal(7, "alice", "user", "key-1", "*", List.of());

  @Test
  @DisplayName("a caller verified from current records is served until a change clears it")
  void keptUntilAChange() {
    KeyPrincipals cache = new KeyPrincipals(0);
    cache.put("gt-key", ALICE, Long.MAX_VALUE, cache.generation());
    assertThat(cache.get("gt-key", 0)).isSameAs(ALICE);
    assertThat(cache.get("gt-other", 0)).isNull();
    cache.clear();
    assertThat(cache.get("gt-key", 0)).isNull();
  }

  @Test
  @DisplayName("records read before a change are not kept after it")
  void staleReadsAreDropped() {
    KeyPrincipals cache = new KeyPrincipals(0);
    long before = cache.generation();
    cache.clear();
    cache.put("gt-key", ALICE, Long.MAX_VALUE, before);
    assertThat(cache.get("gt-key", 0)).isNull();
    assertThat(cache.size()).isZero();
  }

  @Test
  @DisplayName("nothing is kept during the quiet period after a change (the near cache may still be old)")
  void quietAfterAChange() {
    KeyPrincipals cache = new KeyPrincipals(60_000_000_000L);
    cache.put("gt-key", ALICE, Long.MAX_VALUE, cache.generation());
    assertThat(cache.get("gt-key", 0)).isNull();
  }

  @Test
  @DisplayName("an expiring key is served only until it expires")
  void expiry() {
    KeyPrincipals cache = new KeyPrincipals(0);
    cache.put("gt-key", ALICE, 1_000, cache.generation());
    assertThat(cache.get("gt-key", 999)).isSameAs(ALICE);
    assertThat(cache.get("gt-key", 1_000)).isNull();
    assertThat(cache.size()).isZero();
  }
}
