package dev.gantry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Api.Response;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What a browser may do on its own: state-changing requests riding on the session cookie must come from
 * the console's own origin (or say {@code Sec-Fetch-Site: same-origin}) and carry JSON; sign-in too. API
 * keys are not cookies and need no Origin. Every answer carries the hardening headers.
 */
@DisplayName("browser protections")
class CrossSiteTest {

  private static final String EXTERNAL = "https://gantry.example.test";
  private static TestNodes nodes;
  private static Api admin;

  @BeforeAll
  static void startNode() {
    nodes = TestNodes.startWith(1, "--external-url", EXTERNAL);
    admin = nodes.admin(1);
  }

  @AfterAll
  static void stopNode() {
    if (nodes != null) {
      nodes.close();
    }
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Api newUser() {
    String username = unique("browser");
    admin.createUser(username, "browser-password", "user");
    return nodes.api(1).login(username, "browser-password");
  }

  private static List<String> keyNames(Api user) {
    return user.get("/v2/api-keys").items().stream().map(k -> ((JsonObject) k).getString("name")).toList();
  }

  private static Response createKey(Api caller, String name) {
    return caller.post("/v2/api-keys", new JsonObject().put("name", name).put("scope", "inference"));
  }

  @Test
  @DisplayName("a cookie POST from another origin, or with no Origin at all, is 403 and creates nothing")
  void crossOriginCookieWritesAreRefused() {
    Api user = newUser();
    String name = unique("csrf");

    Response crossOrigin = createKey(user.withHeader("Origin", "http://evil.example"), name);
    Response sameSiteOtherPort = createKey(user.withHeader("Origin", "http://127.0.0.1:1"), name);
    Response noOrigin = createKey(user.withoutOrigin(), name);
    Response crossSiteFetch = createKey(user.withoutOrigin().withHeader("Sec-Fetch-Site", "same-site"), name);
    Response delete = user.withHeader("Origin", "http://evil.example").delete("/v2/api-keys/whatever");

    for (Response refused : List.of(crossOrigin, sameSiteOtherPort, noOrigin, crossSiteFetch, delete)) {
      assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
      assertThat(refused.json().getString("message")).contains("cross-site request refused");
    }
    assertThat(keyNames(user)).doesNotContain(name);
  }

  @Test
  @DisplayName("a cookie POST from the node's own origin, --external-url, or with Sec-Fetch-Site: same-origin works")
  void sameOriginCookieWritesWork() {
    Api user = newUser();

    Response ownOrigin = createKey(user, unique("own"));
    Response external = createKey(user.withHeader("Origin", EXTERNAL), unique("external"));
    Response fetchMetadata = createKey(user.withoutOrigin().withHeader("Sec-Fetch-Site", "same-origin"), unique("sfs"));

    assertThat(List.of(ownOrigin.status(), external.status(), fetchMetadata.status())).containsOnly(201);
  }

  @Test
  @DisplayName("the node's own origin is recognised over HTTP/2 too (the authority is no Host header there)")
  void sameOriginOverHttp2() throws Exception {
    Api user = newUser();
    HttpClient http2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    String body = new JsonObject().put("name", unique("h2")).put("scope", "inference").encode();

    HttpResponse<String> created = http2.send(HttpRequest.newBuilder(URI.create(nodes.url(1) + "/v2/api-keys"))
        .header("Cookie", user.cookie()).header("Origin", nodes.url(1)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  @Test
  @DisplayName("JSON sent as text/plain with the cookie is 415 and creates nothing")
  void textPlainJsonIsRefused() {
    Api user = newUser();
    String name = unique("plain");
    byte[] body = new JsonObject().put("name", name).encode().getBytes(StandardCharsets.UTF_8);

    Response textPlain = user.send("POST", "/v2/api-keys", "text/plain", body);
    Response form = user.send("POST", "/v2/api-keys", "application/x-www-form-urlencoded", body);

    assertThat(textPlain.status()).isEqualTo(415);
    assertThat(textPlain.json().getString("message")).contains("application/json");
    assertThat(form.status()).isEqualTo(415);
    assertThat(keyNames(user)).doesNotContain(name);
  }

  @Test
  @DisplayName("a POST with a Bearer key needs no Origin, even when a cookie rides along")
  void bearerKeysNeedNoOrigin() {
    Api user = newUser();
    String key = user.createKey(unique("script"), "*").getString("value");

    Response byKey = createKey(nodes.api(1).withoutOrigin().withKey(key), unique("by-key"));
    Response byKeyWithCookie = createKey(user.withoutOrigin().withKey(key), unique("by-key-cookie"));

    assertThat(byKey.status()).as(byKey.toString()).isEqualTo(201);
    assertThat(byKeyWithCookie.status()).as(byKeyWithCookie.toString()).isEqualTo(201);
  }

  @Test
  @DisplayName("sign-in needs the same origin and JSON: a cross-site login sets no cookie")
  void loginCsrfIsClosed() {
    JsonObject credentials = new JsonObject().put("username", TestNodes.ADMIN).put("password", TestNodes.ADMIN_PASSWORD);
    byte[] body = credentials.encode().getBytes(StandardCharsets.UTF_8);

    Response crossOrigin = nodes.api(1).withHeader("Origin", "http://evil.example").post("/auth/login", credentials);
    Response noOrigin = nodes.api(1).withoutOrigin().post("/auth/login", credentials);
    Response textPlain = nodes.api(1).send("POST", "/auth/login", "text/plain", body);

    assertThat(crossOrigin.status()).isEqualTo(403);
    assertThat(noOrigin.status()).isEqualTo(403);
    assertThat(textPlain.status()).isEqualTo(415);
    for (Response refused : List.of(crossOrigin, noOrigin, textPlain)) {
      assertThat(refused.allHeaders("Set-Cookie")).noneMatch(c -> c.startsWith(Api.SESSION_COOKIE + "="));
    }
    assertThat(nodes.api(1).post("/auth/login", credentials).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("a cross-site logout is refused and the session lives on")
  void crossSiteLogoutIsRefused() {
    Api user = newUser();

    Response logout = user.withHeader("Origin", "http://evil.example").post("/auth/logout", new JsonObject());

    assertThat(logout.status()).isEqualTo(403);
    assertThat(user.get("/v2/users/me").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("with an https external URL the session cookie is Secure, HttpOnly and SameSite=Strict")
  void sessionCookieIsSecure() {
    Response login = nodes.api(1).loginAttempt(TestNodes.ADMIN, TestNodes.ADMIN_PASSWORD);

    assertThat(Api.setCookie(login).toLowerCase()).contains("secure").contains("httponly").contains("samesite=strict");
  }

  @Test
  @DisplayName("the console, the management API and the gateway answer with CSP, nosniff, no framing and no referrer")
  void securityHeadersEverywhere() {
    String key = admin.createKey(unique("inf"), "inference").getString("value");

    List<Response> answers = List.of(nodes.api(1).get("/"), nodes.api(1).get("/js/app.js"), admin.get("/v2/users/me"),
        nodes.api(1).get("/v2/models"), nodes.api(1).withKey(key).get("/v1/models"), nodes.api(1).get("/v1/models"),
        nodes.api(1).get("/no/such/page"));

    for (Response answer : answers) {
      assertThat(answer.header("Content-Security-Policy")).as(answer.toString())
          .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'").contains("script-src 'self'")
              .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline"));
      assertThat(answer.header("X-Content-Type-Options")).contains("nosniff");
      assertThat(answer.header("X-Frame-Options")).contains("DENY");
      assertThat(answer.header("Referrer-Policy")).contains("no-referrer");
    }
    assertThat(answers.get(0).status()).isEqualTo(200);
    assertThat(answers.get(4).status()).isEqualTo(200);
  }
}
