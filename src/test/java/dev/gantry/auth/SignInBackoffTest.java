package dev.gantry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The sign-in back-off: a few free attempts, then pauses that double up to 15 minutes")
class SignInBackoffTest {

  @Test
  void letsTheFreeAttemptsThroughAndPausesAfterTheLastOne() {
    SignInBackoff state = null;
    for (int i = 1; i <= 4; i++) {
      SignInBackoff.Decision decision = SignInBackoff.attempt(state, 5, 1_000);
      assertThat(decision.allowed()).isTrue();
      assertThat(decision.next().pausedUntil()).isZero();
      state = decision.next();
    }
    SignInBackoff.Decision fifth = SignInBackoff.attempt(state, 5, 1_000);
    assertThat(fifth.allowed()).isTrue();
    assertThat(fifth.next().pausedUntil()).isEqualTo(2_000);

    SignInBackoff.Decision sixth = SignInBackoff.attempt(fifth.next(), 5, 1_500);
    assertThat(sixth.allowed()).isFalse();
    assertThat(sixth.waitMs()).isEqualTo(500);
    assertThat(sixth.next()).as("a refused attempt changes nothing").isEqualTo(fifth.next());
  }

  @Test
  void pausesDoubleAndStopGrowingAtFifteenMinutes() {
    assertThat(SignInBackoff.pause(0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(SignInBackoff.pause(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(SignInBackoff.pause(2)).isEqualTo(Duration.ofSeconds(4));
    assertThat(SignInBackoff.pause(9)).isEqualTo(Duration.ofSeconds(512));
    assertThat(SignInBackoff.pause(10)).isEqualTo(Duration.ofMinutes(15));
    assertThat(SignInBackoff.pause(1_000)).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void anAttemptAfterThePauseIsAllowedAndStartsALongerPause() {
    SignInBackoff paused = new SignInBackoff(5, 2_000);
    SignInBackoff.Decision after = SignInBackoff.attempt(paused, 5, 2_000);
    assertThat(after.allowed()).isTrue();
    assertThat(after.next()).isEqualTo(new SignInBackoff(6, 4_000));
  }

  @Test
  void aRefundGivesOneAttemptBackAndSurvivesEncoding() {
    SignInBackoff state = new SignInBackoff(3, 0);
    assertThat(state.refunded()).isEqualTo(new SignInBackoff(2, 0));
    assertThat(new SignInBackoff(0, 0).refunded()).isEqualTo(new SignInBackoff(0, 0));
    assertThat(SignInBackoff.decode(new SignInBackoff(7, 123_456_789L).encode())).isEqualTo(new SignInBackoff(7, 123_456_789L));
    assertThat(SignInBackoff.decode(null)).isNull();
  }
}
