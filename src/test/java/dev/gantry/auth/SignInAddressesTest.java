package dev.gantry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Addresses of single sign-on: the callback's base URL and where the browser may be sent after")
class SignInAddressesTest {

  private static MultiMap headers(String... pairs) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      headers.add(pairs[i], pairs[i + 1]);
    }
    return headers;
  }

  @Test
  void usesTheConfiguredExternalUrlFirst() {
    assertThat(ExternalUrl.of("https://gantry.example.com", false, headers("Host", "10.0.0.5:8080")))
        .isEqualTo("https://gantry.example.com");
  }

  @Test
  void takesSchemeHostAndPortOfTheRequest() {
    assertThat(ExternalUrl.of(null, false, headers("Host", "localhost:8081"))).isEqualTo("http://localhost:8081");
    assertThat(ExternalUrl.of(null, true, headers("Host", "gantry.example.com"))).isEqualTo("https://gantry.example.com");
    assertThat(ExternalUrl.of(null, false, headers("Host", "[::1]:8080"))).isEqualTo("http://[::1]:8080");
  }

  @Test
  void prefersForwardedHeadersOfAReverseProxy() {
    assertThat(ExternalUrl.of(null, false, headers("Host", "n1:8080", "X-Forwarded-Proto", "https",
        "X-Forwarded-Host", "gantry.example.com"))).isEqualTo("https://gantry.example.com");
    assertThat(ExternalUrl.of(null, false, headers("Host", "n1:8080", "X-Forwarded-Proto", "https, http",
        "X-Forwarded-Host", "gantry.example.com, n1", "X-Forwarded-Port", "8443"))).isEqualTo("https://gantry.example.com:8443");
    assertThat(ExternalUrl.of(null, false, headers("X-Forwarded-Host", "gantry.example.com", "X-Forwarded-Port", "80")))
        .isEqualTo("http://gantry.example.com");
    assertThat(ExternalUrl.of(null, false, headers("X-Forwarded-Host", "gantry.example.com:9000", "X-Forwarded-Port", "443")))
        .isEqualTo("http://gantry.example.com:9000");
  }

  @Test
  void refusesAHostThatIsNoHost() {
    assertThatThrownBy(() -> ExternalUrl.of(null, false, headers("Host", "evil.example/x?"))).hasMessageContaining("--external-url");
    assertThatThrownBy(() -> ExternalUrl.of(null, false, headers())).hasMessageContaining("--external-url");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/#/models", "/#/login?next=/x", "/v2/users/me"})
  void keepsPathsOnThisSite(String path) {
    assertThat(OidcLogin.localPath(path)).isEqualTo(path);
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://evil.example", "//evil.example", "/\\evil.example", "\\\\evil.example",
      "javascript:alert(1)", "evil.example", "/\r\nSet-Cookie: x=y", ""})
  void sendsEverythingElseHome(String path) {
    assertThat(OidcLogin.localPath(path)).isEqualTo("/");
    assertThat(OidcLogin.localPath(null)).isEqualTo("/");
  }

  @Test
  void encodesTheLoginPageMessage() {
    assertThat(OidcLogin.loginPageWith("no way & 'x'")).isEqualTo("/#/login?error=no%20way%20%26%20%27x%27");
  }

  @Test
  void derivesThePkceChallengeAsRfc7636Says() {
    assertThat(OidcLogin.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
        .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  }
}
