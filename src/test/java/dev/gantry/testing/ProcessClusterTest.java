package dev.gantry.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** What {@link ProcessCluster} does without starting a node: names, folders and the failure report. */
class ProcessClusterTest {

  @Test
  void aFailureIsRethrownWithEveryNodesLogAttached() {
    ProcessCluster cluster = ProcessCluster.of("report", 2, "unused-Pw-1");
    try {
      AssertionError failure = new AssertionError("the test's own failure");

      Throwable thrown = catchThrowable(() -> cluster.handleTestExecutionException(null, failure));

      assertThat(thrown).isSameAs(failure);
      assertThat(thrown.getSuppressed()).singleElement().satisfies(logs -> assertThat(logs.getMessage())
          .contains("the end of each node's log:", "=== report-1: not started", "=== report-2: not started"));
    } finally {
      cluster.close();
    }
  }

  @Test
  void anAbortedStartIsRethrownAsItIs() {
    ProcessCluster cluster = ProcessCluster.of("aborted", 1, "unused-Pw-1");
    try {
      TestAbortedException aborted = new TestAbortedException("no engine binary here");

      Throwable thrown = catchThrowable(() -> cluster.handleBeforeAllMethodExecutionException(null, aborted));

      assertThat(thrown).isSameAs(aborted);
      assertThat(thrown.getSuppressed()).isEmpty();
    } finally {
      cluster.close();
    }
  }

  @Test
  void nodesAreNumberedFromOneWithTheirOwnPortsAndTheWorkFolderGoesOnClose() {
    ProcessCluster cluster = ProcessCluster.of("named", 3, "unused-Pw-1");
    cluster.close();

    assertThat(cluster.name(2)).isEqualTo("named-2");
    assertThat(cluster.number("named-3")).isEqualTo(3);
    assertThat(cluster.url(1)).startsWith("http://127.0.0.1:").isNotEqualTo(cluster.url(2)).isNotEqualTo(cluster.url(3));
    assertThat(Files.exists(cluster.workDir())).isFalse();
  }

  @Test
  void withLoopbackAddressesEachNodeHasAnAddressOfItsOwn() {
    ProcessCluster cluster = ProcessCluster.of("addressed", 3, "unused-Pw-1").withLoopbackAddresses();
    ProcessCluster plain = ProcessCluster.of("plain", 2, "unused-Pw-1");
    cluster.close();
    plain.close();

    assertThat(cluster.host(1)).isEqualTo("127.0.0.1");
    assertThat(cluster.host(3)).isEqualTo("127.0.0.3");
    assertThat(cluster.url(2)).startsWith("http://127.0.0.2:");
    assertThat(plain.host(2)).isEqualTo("127.0.0.1");
  }
}
