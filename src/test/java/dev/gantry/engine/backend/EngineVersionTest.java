package dev.gantry.engine.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EngineVersionTest {

  @Test
  void releasesAreOrderedPartByPartWithPreReleasesBeforeAndPostReleasesAfter() {
    List<String> ordered = Stream.of("0.11.2", "0.8.3", "0.11.1rc2", "0.9.0.1", "0.11.1", "0.5.4.post3", "0.5.4",
        "2.0.RC1", "2.0", "0.8.2", "v0.10.0").map(EngineVersion::parse).sorted().map(EngineVersion::text).toList();
    assertThat(ordered).containsExactly("0.5.4", "0.5.4.post3", "0.8.2", "0.8.3", "0.9.0.1", "0.10.0", "0.11.1rc2",
        "0.11.1", "0.11.2", "2.0.RC1", "2.0");
    assertThat(EngineVersion.parse("0.8.3").compareTo(EngineVersion.parse("0.8.3.0"))).isZero();
    assertThat(EngineVersion.parse("0.8.2").before("0.8.3")).isTrue();
    assertThat(EngineVersion.parse("0.8.3").atLeast("0.8.3")).isTrue();
  }

  @Test
  void wordsThatAreNoVersionAreRefused() {
    assertThat(EngineVersion.valid("latest")).isFalse();
    assertThat(EngineVersion.valid("")).isFalse();
    assertThatThrownBy(() -> EngineVersion.parse("abc")).hasMessageContaining("not a version: 'abc'");
  }
}
