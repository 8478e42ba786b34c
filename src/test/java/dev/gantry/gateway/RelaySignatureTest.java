package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.cluster.ClusterSecret;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.Test;

class RelaySignatureTest {

  private static final long NOW = 1_800_000_000_000L;
  private static final String PATH = "/internal/engines/abc/v1/chat/completions";

  private final RelaySignature ours = new RelaySignature(ClusterSecret.of(ClusterSecret.generate()));

  private static String[] signed(RelaySignature signature, String path, String instance, long at) {
    RequestOptions options = signature.sign(new RequestOptions(), "POST", path, instance, at);
    return new String[] {options.getHeaders().get(RelaySignature.TIMESTAMP), options.getHeaders().get(RelaySignature.SIGNATURE)};
  }

  private String problem(String[] headers, String method, String path, String instance, long now) {
    return ours.problem(method, path, instance, headers[0], headers[1], now);
  }

  @Test
  void acceptsItsOwnFreshSignatureWithinTheAllowedSkew() {
    String[] headers = signed(ours, PATH, "abc", NOW);
    assertThat(problem(headers, "POST", PATH, "abc", NOW)).isNull();
    assertThat(problem(headers, "POST", PATH, "abc", NOW + RelaySignature.MAX_SKEW_MS)).isNull();
    assertThat(problem(headers, "POST", PATH, "abc", NOW - RelaySignature.MAX_SKEW_MS)).isNull();
  }

  @Test
  void refusesMissingHeadersAnotherClustersKeyAndAnythingChanged() {
    assertThat(ours.problem("POST", PATH, "abc", null, null, NOW)).contains(RelaySignature.SIGNATURE);
    String[] stranger = signed(new RelaySignature(ClusterSecret.of(ClusterSecret.generate())), PATH, "abc", NOW);
    assertThat(problem(stranger, "POST", PATH, "abc", NOW)).contains("not valid");
    String[] headers = signed(ours, PATH, "abc", NOW);
    assertThat(problem(headers, "GET", PATH, "abc", NOW)).contains("not valid");
    assertThat(problem(headers, "POST", "/internal/engines/abc/v1/embeddings", "abc", NOW)).contains("not valid");
    assertThat(problem(headers, "POST", PATH, "abd", NOW)).contains("not valid");
    assertThat(problem(new String[] {String.valueOf(NOW + 1), headers[1]}, "POST", PATH, "abc", NOW)).contains("not valid");
  }

  @Test
  void refusesASignatureOutsideTheSkewEitherWay() {
    String[] headers = signed(ours, PATH, "abc", NOW);
    assertThat(problem(headers, "POST", PATH, "abc", NOW + RelaySignature.MAX_SKEW_MS + 1)).contains("expired");
    assertThat(problem(headers, "POST", PATH, "abc", NOW - RelaySignature.MAX_SKEW_MS - 1)).contains("expired");
  }
}
