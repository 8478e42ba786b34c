package dev.gantry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.map.IMap;
import dev.gantry.cluster.ClusterMaps;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Sign-in throttling on a node that trusts 127.0.0.1 as its reverse proxy, so each test comes from an
 * address of its own through {@code X-Forwarded-For}.
 */
@DisplayName("Sign-in throttling: counted atomically, backing off, by the address a trusted proxy names")
class SignInLimitsTest {

  private static TestNodes nodes;
  private static Api admin;

  @BeforeAll
  static void startNode() {
    nodes = TestNodes.startWith(1, "--trusted-proxies", "127.0.0.1/32");
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

  private static Api from(String address) {
    return nodes.api(1).withHeader("X-Forwarded-For", address);
  }

  @Test
  void aParallelBurstGetsExactlyTheLimitThroughAndThenWaits() throws Exception {
    String username = unique("burst");
    admin.createUser(username, "right-password-1", "user");
    Api client = from("203.0.113.10");
    int burst = 12;
    ExecutorService pool = Executors.newFixedThreadPool(burst);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Api.Response>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < burst; i++) {
        answers.add(pool.submit(() -> {
          go.await();
          return client.loginAttempt(username, "wrong-password");
        }));
      }
      go.countDown();
      List<Api.Response> responses = new ArrayList<>();
      for (Future<Api.Response> answer : answers) {
        responses.add(answer.get());
      }
      assertThat(responses.stream().filter(r -> r.status() == 401)).hasSize(LoginThrottle.MAX_PER_USER);
      assertThat(responses.stream().filter(r -> r.status() == 429)).hasSize(burst - LoginThrottle.MAX_PER_USER)
          .allSatisfy(r -> {
            assertThat(Long.parseLong(r.header("Retry-After").orElseThrow())).isBetween(1L, 2L);
            assertThat(r.json().getString("message")).contains("try again in");
          });
    } finally {
      pool.shutdownNow();
    }
    Eventually.await(Duration.ofSeconds(10), () ->
        assertThat(client.loginAttempt(username, "right-password-1").status()).as("never locked out").isEqualTo(200));
    assertThat(client.loginAttempt(username, "wrong-password").status()).as("a success clears the count").isEqualTo(401);
  }

  @Test
  void thePauseDoublesWithEveryFurtherFailure() {
    String username = unique("backoff");
    admin.createUser(username, "right-password-1", "user");
    Api client = from("203.0.113.20");
    for (int i = 0; i < LoginThrottle.MAX_PER_USER; i++) {
      assertThat(client.loginAttempt(username, "wrong-password").status()).isEqualTo(401);
    }
    List<Long> pauses = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      Api.Response refused = client.loginAttempt(username, "wrong-password");
      assertThat(refused.status()).isEqualTo(429);
      pauses.add(Long.parseLong(refused.header("Retry-After").orElseThrow()));
      Eventually.await(Duration.ofSeconds(15), () ->
          assertThat(client.loginAttempt(username, "wrong-password").status()).isEqualTo(401));
    }
    assertThat(pauses).containsExactly(1L, 2L, 4L);
    Eventually.await(Duration.ofSeconds(20), () ->
        assertThat(client.loginAttempt(username, "right-password-1").status()).isEqualTo(200));
  }

  @Test
  void anAddressIsThrottledAcrossUserNamesAndATrustedProxyNamesTheAddress() {
    Api client = from("198.51.100.30");
    for (int i = 0; i < LoginThrottle.MAX_PER_ADDRESS; i++) {
      assertThat(client.loginAttempt(unique("nobody"), "wrong-password").status()).isEqualTo(401);
    }
    Api.Response refused = client.loginAttempt(unique("nobody"), "wrong-password");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("Retry-After")).isPresent();
    assertThat(from("198.51.100.31, 198.51.100.30").loginAttempt(unique("nobody"), "wrong-password").status())
        .as("the rightmost untrusted hop counts, not what the client prepends").isEqualTo(429);
    assertThat(from("198.51.100.31").loginAttempt(unique("nobody"), "wrong-password").status())
        .as("another client behind the same proxy").isEqualTo(401);
  }

  @Test
  void fiveWrongPasswordsFromSomeoneElsePauseTheUserForSecondsNotMinutes() {
    String username = unique("target");
    admin.createUser(username, "right-password-1", "user");
    Api guesser = from("203.0.113.50");
    for (int i = 0; i < LoginThrottle.MAX_PER_USER; i++) {
      assertThat(guesser.loginAttempt(username, "wrong-password").status()).isEqualTo(401);
    }

    Api.Response during = from("198.51.100.50").loginAttempt(username, "right-password-1");

    if (during.status() == 429) {
      assertThat(Long.parseLong(during.header("Retry-After").orElseThrow())).as("the first pause").isEqualTo(1L);
    }
    Eventually.await(Duration.ofSeconds(5), () -> assertThat(from("198.51.100.50")
        .loginAttempt(username, "right-password-1").status()).as("the user from their own address").isEqualTo(200));
  }

  @Test
  void anAdminClearsAUsersFailedSignInsAndTheUserSignsInAtOnce() {
    String username = unique("paused");
    long id = admin.createUser(username, "right-password-1", "user").getLong("id");
    Api owner = from("198.51.100.60");
    loginFailures().set("user:" + username, "25:" + (System.currentTimeMillis() + 15 * 60_000));
    Api.Response paused = owner.loginAttempt(username, "right-password-1");

    Api.Response cleared = admin.delete("/v2/users/" + id + "/sign-in-failures");
    Api.Response after = owner.loginAttempt(username, "right-password-1");
    Api.Response unknown = admin.delete("/v2/users/987654321/sign-in-failures");

    assertThat(paused.status()).as("a user paused by a long attack").isEqualTo(429);
    assertThat(Long.parseLong(paused.header("Retry-After").orElseThrow())).isGreaterThan(800L);
    assertThat(cleared.status()).isEqualTo(204);
    assertThat(after.status()).isEqualTo(200);
    assertThat(loginFailures().containsKey("user:" + username)).as("a success leaves no count").isFalse();
    assertThat(unknown.status()).isEqualTo(404);
  }

  /** The node's sign-in counters (the test's nodes run in this JVM). */
  private static IMap<String, String> loginFailures() {
    String port = String.valueOf(nodes.clusterPort(1));
    return Hazelcast.getAllHazelcastInstances().stream()
        .filter(h -> String.valueOf(h.getCluster().getLocalMember().getAddress().getPort()).equals(port))
        .findFirst().orElseThrow().getMap(ClusterMaps.LOGIN_FAILURES);
  }
}
