package dev.gantry.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

  private final ClusterSecret secret = ClusterSecret.of(ClusterSecret.generate());
  private final SecretBox box = new SecretBox(secret);

  @Test
  void opensWhatItSealed() {
    String sealed = box.seal("provider:openai", "sk-live-123 ünïcode");

    assertThat(sealed).startsWith("v1.").doesNotContain("sk-live-123");
    assertThat(box.open("provider:openai", sealed)).isEqualTo("sk-live-123 ünïcode");
    assertThat(new SecretBox(secret).open("provider:openai", sealed)).isEqualTo("sk-live-123 ünïcode");
  }

  @Test
  void sealsTheSameValueDifferentlyEachTime() {
    assertThat(box.seal("p", "same")).isNotEqualTo(box.seal("p", "same"));
  }

  @Test
  void refusesAValueThatWasChanged() {
    String sealed = box.seal("p", "credential");
    byte[] raw = Base64.getUrlDecoder().decode(sealed.substring(3));
    raw[raw.length / 2] ^= 1;
    String tampered = "v1." + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);

    assertThatThrownBy(() -> box.open("p", tampered)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("changed");
  }

  @Test
  void refusesAValueSealedWithAnotherSecret() {
    String sealed = new SecretBox(ClusterSecret.of(ClusterSecret.generate())).seal("p", "credential");

    assertThatThrownBy(() -> box.open("p", sealed)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another cluster secret");
  }

  @Test
  void refusesAValueSealedForAnotherPurpose() {
    String sealed = box.seal("provider:openai", "credential");

    assertThatThrownBy(() -> box.open("provider:anthropic", sealed)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesWhatIsNotASealedValue() {
    assertThatThrownBy(() -> box.open("p", "credential")).hasMessageContaining("known version");
    assertThatThrownBy(() -> box.open("p", "v1.!!!")).hasMessageContaining("base64url");
    assertThatThrownBy(() -> box.open("p", "v1.AAAA")).hasMessageContaining("too short");
    assertThatThrownBy(() -> box.open("p", null)).isInstanceOf(IllegalArgumentException.class);
  }
}
