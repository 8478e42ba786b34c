package dev.gantry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiKeySecretsTest {

  @Test
  void generatedKeysParseBackIntoTheirParts() {
    ApiKeySecrets.Generated key = ApiKeySecrets.generate();
    assertThat(key.value()).startsWith("gt-" + key.publicId() + "-").endsWith(key.secret());
    ApiKeySecrets.Parsed parsed = ApiKeySecrets.parse(key.value());
    assertThat(parsed.publicId()).isEqualTo(key.publicId());
    assertThat(parsed.secret()).isEqualTo(key.secret());
  }

  @Test
  void everyKeyIsDifferent() {
    assertThat(ApiKeySecrets.generate().value()).isNotEqualTo(ApiKeySecrets.generate().value());
  }

  @Test
  void refusesStringsThatAreNotGantryKeys() {
    assertThat(ApiKeySecrets.parse(null)).isNull();
    assertThat(ApiKeySecrets.parse("sk-abc")).isNull();
    assertThat(ApiKeySecrets.parse("gt-short-secret")).isNull();
    String key = ApiKeySecrets.generate().value();
    assertThat(ApiKeySecrets.parse(key.replace(key.charAt(15), '_').substring(0, 15) + "x" + key.substring(16))).isNull();
  }

  @Test
  void matchesOnlyTheSecretWhoseHashIsStored() {
    ApiKeySecrets.Generated key = ApiKeySecrets.generate();
    String stored = ApiKeySecrets.hash(key.secret());
    assertThat(stored).hasSize(64).doesNotContain(key.secret());
    assertThat(ApiKeySecrets.matches(key.secret(), stored)).isTrue();
    assertThat(ApiKeySecrets.matches(key.secret() + "x", stored)).isFalse();
  }

  @Test
  void masksAllButTheLastFourCharacters() {
    assertThat(ApiKeySecrets.masked("abc", ApiKeySecrets.hint("0123456789"))).isEqualTo("gt-abc-****6789");
  }

  @Test
  void passwordHashesVerifyOnlyTheRightPassword() {
    String hash = PasswordHasher.hash("correct horse");
    assertThat(hash).startsWith("$argon2id$").doesNotContain("correct horse");
    assertThat(PasswordHasher.verify("correct horse", hash)).isTrue();
    assertThat(PasswordHasher.verify("wrong horse", hash)).isFalse();
    assertThat(PasswordHasher.verify("anything", null)).isFalse();
  }
}
