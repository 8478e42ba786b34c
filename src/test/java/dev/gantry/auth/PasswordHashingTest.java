package dev.gantry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.RetryLater;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Password hashing is bounded: beyond the running and waiting hashes a caller gets 503 at once")
class PasswordHashingTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void refusesWorkBeyondTheBoundWithRetryAfter() {
    PasswordHashing hashing = new PasswordHashing(vertx, 1, 1);
    List<Future<String>> all = IntStream.range(0, 4).mapToObj(i -> hashing.hash("password-" + i)).toList();
    Future.join(all).otherwiseEmpty().await();

    List<Future<String>> done = all.stream().filter(Future::succeeded).toList();
    List<Future<String>> refused = all.stream().filter(Future::failed).toList();
    assertThat(done).as("one running and one waiting").hasSize(2);
    assertThat(refused).hasSize(2).allSatisfy(f -> {
      assertThat(f.cause()).isInstanceOf(RetryLater.class);
      RetryLater later = (RetryLater) f.cause();
      assertThat(later.status()).isEqualTo(503);
      assertThat(later.seconds()).isEqualTo(1);
      assertThat(later.getMessage()).contains("try again");
    });
    assertThat(hashing.verify("password-0", done.get(0).result()).await()).isTrue();
    assertThat(hashing.hash("later").await()).as("capacity comes back").startsWith("$argon2id$");
  }
}
