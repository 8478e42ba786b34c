package dev.gantry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gantry.config.SocketTransport;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Sockets use a native transport on Linux x86_64")
class NativeTransportTest {

  @Test
  @DisplayName("the build ships epoll and io_uring, and a node's default takes io_uring where the kernel allows it")
  void nativeTransportsLoad() {
    assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"),
        "the build ships the linux-x86_64 native libraries only");
    assertThat(Transport.EPOLL.available()).as("epoll unavailable: %s", Transport.EPOLL.unavailabilityCause()).isTrue();
    if (!Transport.IO_URING.available()) {
      // the library loaded, but the kernel (or a seccomp profile) refused a ring: never a missing class or library
      assertThat(Transport.IO_URING.unavailabilityCause()).isNotNull()
          .isNotInstanceOfAny(ClassNotFoundException.class, NoClassDefFoundError.class, UnsatisfiedLinkError.class);
    }
    assertThat(SocketTransport.AUTO.resolve()).isSameAs(Transport.IO_URING.available() ? Transport.IO_URING : Transport.EPOLL);
  }
}
