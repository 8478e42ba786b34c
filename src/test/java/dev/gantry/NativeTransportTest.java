package dev.gantry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Sockets use epoll on Linux x86_64")
class NativeTransportTest {

  @Test
  @DisplayName("the node's Vert.x options find the native epoll transport the build ships")
  void epollIsAvailable() {
    assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"),
        "the build ships the linux-x86_64 epoll library only");
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    try {
      assertThat(vertx.isNativeTransportEnabled())
          .as("native transport unavailable: %s", vertx.unavailableNativeTransportCause()).isTrue();
    } finally {
      vertx.close().await();
    }
  }
}
