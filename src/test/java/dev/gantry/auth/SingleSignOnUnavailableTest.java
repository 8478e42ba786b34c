package dev.gantry.auth;

import static dev.gantry.testing.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Api.Response;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.Ports;
import dev.gantry.testing.TestBrowser;
import dev.gantry.testing.TestNodes;
import dev.gantry.testing.TestOidcServer;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Single sign-on when it is not configured or its provider is down")
class SingleSignOnUnavailableTest {

  @Test
  @DisplayName("a node without --oidc-* options offers local sign-in only and says so at /auth/oidc/login")
  void notConfigured() {
    try (TestNodes nodes = TestNodes.start(1)) {
      JsonObject config = Api.expect(nodes.api(1).get("/auth/config"), 200);
      assertThat(config.getBoolean("local")).isTrue();
      assertThat(config.getJsonObject("oidc").getBoolean("enabled")).isFalse();

      Response login = nodes.api(1).get("/auth/oidc/login");
      assertThat(login.status()).isEqualTo(404);
      assertThat(login.json().getString("message")).contains("single sign-on is not configured").contains("--oidc-issuer");

      String landed = location(new TestBrowser().get(nodes.url(1) + "/auth/oidc/login", Map.of("Accept", "text/html")));
      assertThat(URLDecoder.decode(landed, StandardCharsets.UTF_8))
          .startsWith(nodes.url(1) + "/#/login?error=single sign-on is not configured");
    }
  }

  @Test
  @DisplayName("a node whose provider is down starts, keeps local sign-in, answers 503, and offers SSO (here through the provider's login page) once it is up")
  void providerDownAtStart() {
    int idpPort = Ports.free();
    String issuer = TestOidcServer.issuerUrl(idpPort);
    try (TestNodes nodes = TestNodes.startWith(1, TestOidcServer.nodeArgs(issuer))) {
      assertThat(nodes.admin(1).get("/v2/users/me").status()).isEqualTo(200);
      JsonObject oidc = Api.expect(nodes.api(1).get("/auth/config"), 200).getJsonObject("oidc");
      assertThat(oidc.getBoolean("enabled")).isTrue();
      assertThat(oidc.getBoolean("available")).isFalse();
      Response login = nodes.api(1).get("/auth/oidc/login");
      assertThat(login.status()).isEqualTo(503);
      assertThat(login.json().getString("message")).contains("single sign-on is unavailable").contains(issuer)
          .contains("sign in with a local account");

      try (TestOidcServer idp = TestOidcServer.start(true, idpPort)) {
        Eventually.await(Duration.ofSeconds(60), () -> assertThat(nodes.api(1).get("/auth/oidc/login").status()).isEqualTo(302));
        TestBrowser browser = new TestBrowser();
        String authorize = location(browser.get(nodes.url(1) + "/auth/oidc/login?redirect=/%23/models"));
        assertThat(browser.get(authorize).body()).contains("name=\"username\"").contains("name=\"claims\"");

        String callback = location(browser.postForm(authorize, Map.of("username", "late-subject",
            "claims", new JsonObject().put("preferred_username", "late-user").put("groups", List.of("gantry-admins")).encode())));

        assertThat(location(browser.get(callback))).isEqualTo(nodes.url(1) + "/#/models");
        JsonObject me = SingleSignOnTest.me(browser, nodes.url(1));
        assertThat(me.getString("username")).isEqualTo("late-user");
        assertThat(me.getString("role")).isEqualTo("admin");
      }
    }
  }
}
