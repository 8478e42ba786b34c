package dev.gantry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Api.Response;
import dev.gantry.testing.TestNodes;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Signing in and out")
class AuthenticationTest {

  private static TestNodes nodes;
  private static Api admin;

  @BeforeAll
  static void startNode() {
    nodes = TestNodes.start(1);
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

  @Test
  @DisplayName("a JSON login sets an HttpOnly SameSite session cookie that /v2/users/me accepts")
  void jsonLoginSetsSessionCookie() {
    Response login = nodes.api(1).loginAttempt(TestNodes.ADMIN, TestNodes.ADMIN_PASSWORD);

    assertThat(login.status()).isEqualTo(200);
    assertThat(login.json().getString("username")).isEqualTo("admin");
    assertThat(login.json().fieldNames()).doesNotContain("password_hash", "password");
    String setCookie = Api.setCookie(login);
    assertThat(setCookie.toLowerCase()).contains("httponly").containsPattern("samesite=(strict|lax)");
    Response me = nodes.api(1).withCookie(Api.sessionCookie(login)).get("/v2/users/me");
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().getString("username")).isEqualTo("admin");
    assertThat(me.json().getString("role")).isEqualTo("admin");
  }

  @Test
  @DisplayName("a form login is refused with 415 and sets no cookie (a cross-site form cannot sign anyone in)")
  void formLoginIsRefused() {
    String username = unique("form");
    admin.createUser(username, "form-password-1", "user");

    Response login = nodes.api(1).loginWithForm(username, "form-password-1");

    assertThat(login.status()).isEqualTo(415);
    assertThat(login.json().getString("message")).contains("application/json");
    assertThat(login.allHeaders("Set-Cookie")).noneMatch(c -> c.startsWith(Api.SESSION_COOKIE + "="));
  }

  @Test
  @DisplayName("without a session or key /v2/users/me is 401 in the error shape")
  void anonymousCallerIsUnauthorized() {
    Response me = nodes.api(1).get("/v2/users/me");

    assertThat(me.status()).isEqualTo(401);
    assertThat(me.json().getInteger("code")).isEqualTo(401);
    assertThat(me.json().getString("reason")).isEqualTo("Unauthorized");
    assertThat(me.json().getString("message")).contains("/auth/login");
  }

  @Test
  @DisplayName("logout ends the session: the same cookie is refused afterwards")
  void logoutEndsTheSession() {
    Api session = nodes.admin(1);
    assertThat(session.get("/v2/users/me").status()).isEqualTo(200);

    Response logout = session.post("/auth/logout", new io.vertx.core.json.JsonObject());

    assertThat(logout.status()).isEqualTo(204);
    long asked = System.nanoTime();
    Response after = session.get("/v2/users/me");
    long answeredMs = (System.nanoTime() - asked) / 1_000_000;
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.json().getString("reason")).isEqualTo("Unauthorized");
    assertThat(answeredMs).as("an ended session is refused at once, not after a long store lookup").isLessThan(3_000);
  }

  @Test
  @DisplayName("a made-up session cookie is refused with 401 at once")
  void unknownSessionCookieIsRefusedQuickly() {
    long asked = System.nanoTime();
    Response response = nodes.api(1).withCookie(Api.SESSION_COOKIE + "=0123456789abcdef0123456789abcdef").get("/v2/users/me");
    long answeredMs = (System.nanoTime() - asked) / 1_000_000;

    assertThat(response.status()).isEqualTo(401);
    assertThat(answeredMs).isLessThan(3_000);
  }

  @Test
  @DisplayName("a wrong password and an unknown user get the same 401 that does not say which part was wrong")
  void wrongPasswordAndUnknownUserLookAlike() {
    String username = unique("victim");
    admin.createUser(username, "right-password-1", "user");

    Response wrongPassword = nodes.api(1).loginAttempt(username, "wrong-password-1");
    Response unknownUser = nodes.api(1).loginAttempt(unique("nobody"), "wrong-password-1");

    assertThat(wrongPassword.status()).isEqualTo(401);
    assertThat(unknownUser.status()).isEqualTo(401);
    assertThat(wrongPassword.json()).isEqualTo(unknownUser.json());
    String message = wrongPassword.json().getString("message");
    assertThat(message).isNotBlank().doesNotContain(username)
        .doesNotContainIgnoringCase("unknown user").doesNotContainIgnoringCase("no such user")
        .doesNotContainIgnoringCase("password is wrong").doesNotContainIgnoringCase("incorrect password");
    assertThat(wrongPassword.allHeaders("Set-Cookie")).noneMatch(c -> c.startsWith("gantry_session="));
  }

  @Test
  @DisplayName("five failed logins for a user answer 429 with Retry-After, even for the right password")
  void repeatedFailuresAreThrottled() {
    String username = unique("throttled");
    admin.createUser(username, "right-password-1", "user");
    for (int attempt = 1; attempt <= 5; attempt++) {
      assertThat(nodes.api(1).loginAttempt(username, "wrong-password-" + attempt).status())
          .as("attempt %d", attempt).isEqualTo(401);
    }

    Response throttled = nodes.api(1).loginAttempt(username, "right-password-1");

    assertThat(throttled.status()).isEqualTo(429);
    assertThat(throttled.json().getString("reason")).isEqualTo("TooManyRequests");
    assertThat(throttled.json().getString("message")).isNotBlank();
    assertThat(throttled.header("Retry-After")).hasValueSatisfying(value -> assertThat(Long.parseLong(value)).isPositive());
    assertThat(throttled.allHeaders("Set-Cookie")).noneMatch(c -> c.startsWith("gantry_session="));
    assertThat(admin.get("/v2/users/me").status()).as("other users are not locked out").isEqualTo(200);
  }
}
