package dev.gantry.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Api.Response;
import dev.gantry.testing.Ports;
import dev.gantry.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("--metrics-port: Prometheus text on a listener of its own")
class MetricsListenerTest {

  private static final int METRICS_PORT = Ports.free();
  private static TestNodes nodes;

  @BeforeAll
  static void startNode() {
    nodes = TestNodes.startWith(1, "--metrics-port", String.valueOf(METRICS_PORT));
  }

  @AfterAll
  static void stopNode() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  @DisplayName("the metrics listener answers plain Prometheus text without sign-in, on 127.0.0.1")
  void servesMetricsWithoutAuthentication() {
    Response metrics = new Api("http://127.0.0.1:" + METRICS_PORT).get("/metrics");

    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(metrics.body().lines()).anyMatch(l -> l.startsWith("# TYPE jvm_memory_used_bytes gauge"));
    assertThat(new Api("http://127.0.0.1:" + METRICS_PORT).get("/v2/users/me").status()).isEqualTo(404);
  }

  @Test
  @DisplayName("the public port then has no /metrics, not even for admins")
  void publicPortServesNoMetrics() {
    assertThat(nodes.admin(1).get("/metrics").status()).isEqualTo(404);
    assertThat(nodes.api(1).get("/metrics").status()).isEqualTo(404);
  }
}
