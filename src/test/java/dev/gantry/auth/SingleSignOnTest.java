package dev.gantry.auth;

import static dev.gantry.testing.TestBrowser.location;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.TestBrowser;
import dev.gantry.testing.TestNodes;
import dev.gantry.testing.TestOidcServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Single sign-on through a real OpenID Connect provider")
class SingleSignOnTest {

  private static TestOidcServer idp;
  private static TestNodes nodes;
  private static Api admin;

  @BeforeAll
  static void start() {
    idp = TestOidcServer.start(false);
    nodes = TestNodes.startWith(2, idp.nodeArgs());
    admin = nodes.admin(1);
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
  @DisplayName("a first sign-in creates the user with role user, starts a session and lands on the asked path")
  void firstSignInCreatesUser() {
    String name = unique("sso");
    idp.enqueueLogin(unique("sub"), Map.of("preferred_username", name, "email", name + "@example.com", "name", "Sso Person"));
    TestBrowser browser = new TestBrowser();

    String landed = signIn(browser, nodes.url(1), "/#/models");

    assertThat(landed).isEqualTo(nodes.url(1) + "/#/models");
    JsonObject me = me(browser, nodes.url(1));
    assertThat(me.getString("username")).isEqualTo(name);
    assertThat(me.getString("role")).isEqualTo("user");
    assertThat(me.getString("source")).isEqualTo("oidc");
    assertThat(me.getString("email")).isEqualTo(name + "@example.com");
    assertThat(me.getString("full_name")).isEqualTo("Sso Person");
    assertThat(browser.cookie(nodes.url(1) + "/auth/oidc/callback", OidcLogin.BINDING_COOKIE)).isNull();
  }

  @Test
  @DisplayName("the authorization request uses PKCE S256, a state, a nonce and the callback on the browser's address")
  void authorizationRequestCarriesPkceStateAndNonce() {
    HttpResponse<String> start = new TestBrowser().get(nodes.url(1) + "/auth/oidc/login");

    Map<String, String> query = query(location(start));
    assertThat(location(start)).startsWith(idp.issuerUrl() + "/authorize");
    assertThat(query).containsEntry("response_type", "code").containsEntry("client_id", TestOidcServer.CLIENT_ID)
        .containsEntry("code_challenge_method", "S256").containsEntry("redirect_uri", nodes.url(1) + "/auth/oidc/callback")
        .containsKeys("state", "nonce", "code_challenge");
    assertThat(query.get("scope")).isEqualTo("openid profile email");
    assertThat(start.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
        .startsWith(OidcLogin.BINDING_COOKIE + "=" + query.get("state")).containsIgnoringCase("HttpOnly")
        .containsIgnoringCase("SameSite=Lax").contains("Path=/auth/oidc"));
  }

  @Test
  @DisplayName("behind a reverse proxy the callback is on the address from X-Forwarded-Proto and X-Forwarded-Host")
  void callbackFollowsForwardedHeaders() {
    HttpResponse<String> start = new TestBrowser().get(nodes.url(1) + "/auth/oidc/login",
        Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Host", "gantry.example.com"));

    assertThat(query(location(start))).containsEntry("redirect_uri", "https://gantry.example.com/auth/oidc/callback");
    assertThat(start.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie).containsIgnoringCase("Secure"));
  }

  @Test
  @DisplayName("a member of the admin group signs in as admin, and loses admin at the next sign-in without it")
  void adminGroupGivesAdminAtEachSignIn() {
    String subject = unique("sub");
    String name = unique("boss");
    idp.enqueueLogin(subject, Map.of("preferred_username", name, "groups", List.of("staff", "gantry-admins")));
    TestBrowser browser = new TestBrowser();
    signIn(browser, nodes.url(1), "/");
    assertThat(me(browser, nodes.url(1)).getString("role")).isEqualTo("admin");
    assertThat(browser.get(nodes.url(1) + "/v2/users").statusCode()).isEqualTo(200);

    idp.enqueueLogin(subject, Map.of("preferred_username", name, "groups", List.of("staff")));
    TestBrowser later = new TestBrowser();
    signIn(later, nodes.url(1), "/");

    JsonObject me = me(later, nodes.url(1));
    assertThat(me.getString("role")).isEqualTo("user");
    assertThat(me.getString("username")).isEqualTo(name);
    assertThat(later.get(nodes.url(1) + "/v2/users").statusCode()).isEqualTo(403);
    assertThat(admin.get("/v2/users?search=" + name).items()).hasSize(1);
  }

  @Test
  @DisplayName("a made-up state is refused: back to the login page with a message, no session")
  void forgedStateIsRefused() {
    TestBrowser browser = new TestBrowser();
    browser.get(nodes.url(1) + "/auth/oidc/login");

    String landed = location(browser.get(nodes.url(1) + "/auth/oidc/callback?state=made-up&code=anything"));

    assertThat(landed).startsWith(nodes.url(1) + "/#/login?error=");
    assertThat(decode(landed)).contains("invalid, has expired or was already used");
    assertThat(browser.get(nodes.url(1) + "/v2/users/me").statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("a callback opened in another browser than the one that started the sign-in is refused")
  void callbackFromAnotherBrowserIsRefused() {
    TestBrowser attacker = new TestBrowser();
    String callback = location(attacker.get(location(attacker.get(nodes.url(1) + "/auth/oidc/login"))));
    TestBrowser victim = new TestBrowser();

    String landed = location(victim.get(callback));

    assertThat(decode(landed)).contains("/#/login?error=").contains("start the sign-in again");
    assertThat(victim.get(nodes.url(1) + "/v2/users/me").statusCode()).isEqualTo(401);
    assertThat(decode(location(attacker.get(callback)))).contains("/#/login?error=");
  }

  @Test
  @DisplayName("a redirect to another site is not followed: the user lands on /")
  void openRedirectIsNotFollowed() {
    for (String target : List.of("https://evil.example/x", "//evil.example/x", "/\\evil.example", "javascript:alert(1)")) {
      idp.enqueueLogin(unique("sub"), Map.of("preferred_username", unique("redirected")));
      TestBrowser browser = new TestBrowser();

      String landed = signIn(browser, nodes.url(1), target);

      assertThat(landed).as(target).isEqualTo(nodes.url(1) + "/");
      assertThat(me(browser, nodes.url(1)).getString("source")).isEqualTo("oidc");
    }
  }

  @Test
  @DisplayName("an error from the provider (access_denied) ends on the login page with its message")
  void providerErrorIsShownOnTheLoginPage() {
    TestBrowser browser = new TestBrowser();
    String state = query(location(browser.get(nodes.url(1) + "/auth/oidc/login"))).get("state");

    String landed = location(browser.get(nodes.url(1) + "/auth/oidc/callback?state=" + state
        + "&error=access_denied&error_description=" + URLEncoder.encode("user said no", StandardCharsets.UTF_8)));

    assertThat(decode(landed)).isEqualTo(nodes.url(1)
        + "/#/login?error=the identity provider did not sign you in: access_denied (user said no)");
    assertThat(browser.get(nodes.url(1) + "/v2/users/me").statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("a deactivated single sign-on user cannot sign in again")
  void deactivatedUserIsRefused() {
    String subject = unique("sub");
    String name = unique("leaver");
    idp.enqueueLogin(subject, Map.of("preferred_username", name));
    TestBrowser first = new TestBrowser();
    signIn(first, nodes.url(1), "/");
    long id = me(first, nodes.url(1)).getLong("id");
    Api.expect(admin.patch("/v2/users/" + id, new JsonObject().put("active", false)), 200);

    idp.enqueueLogin(subject, Map.of("preferred_username", name));
    TestBrowser again = new TestBrowser();
    String landed = signIn(again, nodes.url(1), "/");

    assertThat(decode(landed)).contains("/#/login?error=").contains("'" + name + "' is deactivated");
    assertThat(again.get(nodes.url(1) + "/v2/users/me").statusCode()).isEqualTo(401);
    assertThat(first.get(nodes.url(1) + "/v2/users/me").statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("a provider user named like a local account gets an error, never that account")
  void localAccountIsNeverTakenOver() {
    idp.enqueueLogin(unique("sub"), Map.of("preferred_username", TestNodes.ADMIN));
    TestBrowser browser = new TestBrowser();

    String landed = signIn(browser, nodes.url(1), "/");

    assertThat(decode(landed)).contains("/#/login?error=the user name 'admin' already belongs to another Gantry account");
    assertThat(browser.get(nodes.url(1) + "/v2/users/me").statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("a single sign-on user cannot sign in with a password, even after setting one")
  void ssoUserHasNoLocalSignIn() {
    String name = unique("nopass");
    idp.enqueueLogin(unique("sub"), Map.of("preferred_username", name));
    TestBrowser browser = new TestBrowser();
    signIn(browser, nodes.url(1), "/");
    String cookie = "gantry_session=" + browser.cookie(nodes.url(1), "gantry_session");
    Api.Response refused = nodes.api(1).withCookie(cookie).patch("/v2/users/me", new JsonObject()
        .put("current_password", "anything").put("password", "now-a-password-1"));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getString("message")).contains("single sign-on", "identity provider");

    assertThat(nodes.api(1).loginAttempt(name, "now-a-password-1").status()).isEqualTo(401);
  }

  @Test
  @DisplayName("a sign-in started on one node finishes on another, and the session works on both")
  void signInFinishesOnAnotherNode() {
    String name = unique("roamer");
    idp.enqueueLogin(unique("sub"), Map.of("preferred_username", name));
    TestBrowser browser = new TestBrowser();
    String callback = location(browser.get(location(browser.get(nodes.url(1) + "/auth/oidc/login?redirect=/"))));

    String landed = location(browser.get(callback.replace(nodes.url(1), nodes.url(2))));

    assertThat(landed).isEqualTo(nodes.url(2) + "/");
    assertThat(me(browser, nodes.url(1)).getString("username")).isEqualTo(name);
    assertThat(me(browser, nodes.url(2)).getString("username")).isEqualTo(name);
  }

  @Test
  @DisplayName("/auth/config offers single sign-on when it is configured")
  void configOffersSso() {
    JsonObject config = Api.expect(nodes.api(2).get("/auth/config"), 200);

    assertThat(config.getBoolean("local")).isTrue();
    assertThat(config.getJsonObject("oidc").getBoolean("enabled")).isTrue();
    assertThat(config.getJsonObject("oidc").getBoolean("available")).isTrue();
    assertThat(config.getJsonObject("oidc").getString("login_url")).isEqualTo("/auth/oidc/login");
  }

  @Test
  @DisplayName("logout ends the session on every node and answers the provider's end-session URL")
  void logoutEndsSessionAndOffersProviderLogout() {
    idp.enqueueLogin(unique("sub"), Map.of("preferred_username", unique("bye")));
    TestBrowser browser = new TestBrowser();
    signIn(browser, nodes.url(1), "/");

    HttpResponse<String> logout = browser.post(nodes.url(1) + "/auth/logout");

    assertThat(logout.statusCode()).isEqualTo(200);
    String endSession = new JsonObject(logout.body()).getString("end_session_url");
    assertThat(endSession).startsWith(idp.server().endSessionEndpointUrl(TestOidcServer.ISSUER_ID).toString()
        .replace("localhost", "127.0.0.1"));
    assertThat(query(endSession)).containsKey("id_token_hint")
        .containsEntry("post_logout_redirect_uri", nodes.url(1) + "/").containsEntry("client_id", TestOidcServer.CLIENT_ID);
    assertThat(browser.get(nodes.url(1) + "/v2/users/me").statusCode()).isEqualTo(401);
    assertThat(browser.get(nodes.url(2) + "/v2/users/me").statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("logout of a local user still answers 204 without a provider URL")
  void localLogoutIsUnchanged() {
    Api local = nodes.admin(1);

    assertThat(local.post("/auth/logout", new JsonObject()).status()).isEqualTo(204);
  }

  /** Runs the whole flow in the browser: node → provider → callback; answers where the browser lands. */
  static String signIn(TestBrowser browser, String nodeUrl, String redirect) {
    String authorize = location(browser.get(nodeUrl + "/auth/oidc/login?redirect="
        + URLEncoder.encode(redirect, StandardCharsets.UTF_8)));
    String callback = location(browser.get(authorize));
    assertThat(callback).startsWith(nodeUrl + "/auth/oidc/callback?");
    return location(browser.get(callback));
  }

  static JsonObject me(TestBrowser browser, String nodeUrl) {
    HttpResponse<String> me = browser.get(nodeUrl + "/v2/users/me");
    assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
    return new JsonObject(me.body());
  }

  static Map<String, String> query(String url) {
    String raw = URI.create(url).getRawQuery();
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      String[] kv = pair.split("=", 2);
      out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length < 2 ? "" : URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    return out;
  }

  static String decode(String url) {
    return URLDecoder.decode(url, StandardCharsets.UTF_8);
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
