package dev.gantry.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Ids;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestNodes;
import dev.gantry.testing.TestOidcServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Single sign-on from the console in a real headless Chromium: the login page's SSO button, the login
 * page of a real OpenID Connect provider (mock-oauth2-server, interactive), back to the console as that
 * user on the page they wanted, and signing out at the provider too.
 */
class ConsoleSingleSignOnBrowserTest {

  static TestOidcServer idp;
  static TestNodes nodes;

  @RegisterExtension
  final BrowserPerTest browsers = new BrowserPerTest(() -> nodes.url(1));

  @BeforeAll
  static void start() {
    Browser.assumeInstalled();
    idp = TestOidcServer.start(true);
    nodes = TestNodes.startWith(1, idp.nodeArgs());
    Eventually.await(Duration.ofSeconds(30), () -> assertThat(Api.expect(nodes.api(1).get("/auth/config"), 200)
        .getJsonObject("oidc").getBoolean("available")).isTrue());
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
    if (idp != null) {
      idp.close();
    }
  }

  @Test
  void signsInThroughTheIdentityProvidersLoginPageAndLandsWhereTheyWereGoingAsThatUser() {
    String username = "carol-" + Ids.random(5).toLowerCase();
    Browser browser = browsers.browser();
    browser.go("#/keys");
    browser.await("[data-test=sso-login]");
    browser.screenshot("login-sso");

    browser.signInThroughSso("sub-" + username, claims(username, "Carol Example", new JsonArray()));

    assertThat(browser.js("return location.hash")).isEqualTo("#/keys");
    assertThat(browser.text("[data-test=user-name]")).isEqualTo("Carol Example");
    assertThat(browser.all("[data-nav=users]")).as("an SSO user is a plain user").isEmpty();
    JsonObject user = Api.expect(nodes.admin(1).get("/v2/users?search=" + username), 200).getJsonArray("items")
        .getJsonObject(0);
    assertThat(user.getString("username")).isEqualTo(username);
    assertThat(user.getString("source")).isEqualTo("oidc");
    assertThat(user.getString("role")).isEqualTo("user");
    browser.awaitText("main", "No API keys yet", Browser.WAIT);
    browser.screenshot("sso-signed-in");

    String session = browser.sessionCookie();
    browser.click("[data-test=sign-out]");
    browser.await("#username");
    assertThat(browser.js("return location.origin")).isEqualTo(nodes.url(1));
    assertThat(nodes.api(1).withCookie(session).get("/v2/users/me").status()).as("the session ended").isEqualTo(401);
  }

  @Test
  void anSsoUserOfTheAdminGroupGetsTheAdminPages() {
    String username = "dave-" + Ids.random(5).toLowerCase();
    Browser browser = browsers.browser();
    browser.go("#/users");
    browser.await("[data-test=sso-login]");

    browser.signInThroughSso("sub-" + username, claims(username, "Dave Admin", new JsonArray().add("gantry-admins")));

    assertThat(browser.js("return location.hash")).isEqualTo("#/users");
    assertThat(browser.awaitText("tr[data-user='" + username + "']", "oidc", Browser.WAIT)).contains("Dave Admin");
    assertThat(browser.all("[data-test=forbidden]")).isEmpty();
  }

  private static String claims(String username, String name, JsonArray groups) {
    return new JsonObject().put("preferred_username", username).put("name", name).put("groups", groups).encode();
  }
}
