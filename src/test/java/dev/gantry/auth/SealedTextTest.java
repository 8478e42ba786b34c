package dev.gantry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.cluster.ClusterSecret;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Sealed text: readable only with the cluster secret it was sealed under")
class SealedTextTest {

  private final ClusterSecret secret = ClusterSecret.of(ClusterSecret.generate());
  private final SealedText sealer = new SealedText(secret.derive("test"));

  @Test
  void opensWhatItSealedAndShowsNothingOfIt() {
    String token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.signature";
    String sealed = sealer.seal(token);

    assertThat(sealed).doesNotContain("eyJ", "alice");
    assertThat(sealer.seal(token)).as("a fresh nonce each time").isNotEqualTo(sealed);
    assertThat(sealer.open(sealed)).isEqualTo(token);
  }

  @Test
  void refusesAnotherKeyAndTampering() {
    String sealed = sealer.seal("secret words");
    SealedText otherPurpose = new SealedText(secret.derive("other"));
    SealedText otherCluster = new SealedText(ClusterSecret.of(ClusterSecret.generate()).derive("test"));
    char[] chars = sealed.toCharArray();
    chars[chars.length - 3] = chars[chars.length - 3] == 'A' ? 'B' : 'A';

    assertThat(otherPurpose.open(sealed)).isNull();
    assertThat(otherCluster.open(sealed)).isNull();
    assertThat(sealer.open(new String(chars))).isNull();
    assertThat(sealer.open("not base64 at all!")).isNull();
    assertThat(sealer.open("AAAA")).isNull();
  }
}
