package dev.gantry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.cluster.ClusterSecret;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("requests signed by another node of the cluster")
class ClusterCallerTest {

  private static final ClusterSecret SECRET = ClusterSecret.of(ClusterSecret.generate());
  private static final long NOW = 1_800_000_000L;

  @Test
  void aSignatureOfThisClusterForThisRequestIsAccepted() {
    String header = ClusterCaller.sign(SECRET, "POST", "/internal/x?y=1", NOW);

    assertThat(ClusterCaller.verify(SECRET, "POST", "/internal/x?y=1", header, NOW)).isTrue();
    assertThat(ClusterCaller.verify(SECRET, "POST", "/internal/x?y=1", header, NOW + ClusterCaller.WINDOW_SECONDS)).isTrue();
  }

  @Test
  void anotherRequestAnotherSecretOrAnOldSignatureIsRefused() {
    String header = ClusterCaller.sign(SECRET, "POST", "/internal/x", NOW);

    assertThat(ClusterCaller.verify(SECRET, "GET", "/internal/x", header, NOW)).isFalse();
    assertThat(ClusterCaller.verify(SECRET, "POST", "/internal/y", header, NOW)).isFalse();
    assertThat(ClusterCaller.verify(ClusterSecret.of(ClusterSecret.generate()), "POST", "/internal/x", header, NOW)).isFalse();
    assertThat(ClusterCaller.verify(SECRET, "POST", "/internal/x", header, NOW + ClusterCaller.WINDOW_SECONDS + 1)).isFalse();
    assertThat(ClusterCaller.verify(SECRET, "POST", "/internal/x", (NOW + 1) + header.substring(header.indexOf('.')), NOW))
        .isFalse();
    assertThat(ClusterCaller.verify(null, "POST", "/internal/x", header, NOW)).isFalse();
    assertThat(ClusterCaller.verify(SECRET, "POST", "/internal/x", "garbage", NOW)).isFalse();
    assertThat(ClusterCaller.verify(SECRET, "POST", "/internal/x", "x.y", NOW)).isFalse();
  }
}
