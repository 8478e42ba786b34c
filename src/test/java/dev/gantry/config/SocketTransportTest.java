package dev.gantry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.transport.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

@DisplayName("--socket-transport: which of Netty's transports carries a node's sockets")
class SocketTransportTest {

  @Test
  void optionValuesParseInAnyCaseAndAnUnknownOneNamesTheChoices() {
    assertThat(SocketTransport.parse("auto")).isEqualTo(SocketTransport.AUTO);
    assertThat(SocketTransport.parse("io_uring")).isEqualTo(SocketTransport.IO_URING);
    assertThat(SocketTransport.parse("IO-URING")).isEqualTo(SocketTransport.IO_URING);
    assertThat(SocketTransport.parse(" Epoll ")).isEqualTo(SocketTransport.EPOLL);
    assertThat(SocketTransport.parse("nio")).isEqualTo(SocketTransport.NIO);
    assertThatThrownBy(() -> SocketTransport.parse("uring"))
        .hasMessage("--socket-transport is one of auto, io_uring, epoll, nio; got 'uring'");
  }

  @Test
  void autoTakesIoUringThenEpollThenNio() {
    assertThat(SocketTransport.AUTO.resolve()).isSameAs(Transport.IO_URING.available() ? Transport.IO_URING
        : Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO);
    assertThat(SocketTransport.NIO.resolve()).isSameAs(Transport.NIO);
    if (Transport.IO_URING.available()) {
      assertThat(SocketTransport.IO_URING.resolve()).isSameAs(Transport.IO_URING);
    }
  }

  @Test
  void aNamedTransportThisMachineLacksRefusesToStartAndSaysWhy() {
    Transport refused = new Transport() {
      @Override
      public String name() {
        return "IO_URING";
      }

      @Override
      public boolean available() {
        return false;
      }

      @Override
      public Throwable unavailabilityCause() {
        return new UnsupportedOperationException("io_uring_setup: Operation not permitted");
      }

      @Override
      public io.vertx.core.spi.transport.Transport implementation() {
        throw new AssertionError("an unavailable transport is never built");
      }
    };
    assertThatThrownBy(() -> SocketTransport.required("io_uring", refused)).hasMessage("--socket-transport io_uring is "
        + "not available on this machine (io_uring_setup: Operation not permitted); use --socket-transport auto to fall back");
    assertThatThrownBy(() -> SocketTransport.required("kqueue", Transport.KQUEUE))  // no kqueue classes on the path
        .hasMessageContaining("(its native library is not included)");
    assertThat(SocketTransport.required("nio", Transport.NIO)).isSameAs(Transport.NIO);
  }

  @Test
  void theStartCommandTakesTheOptionAndDefaultsToAuto() {
    StartCommand command = new StartCommand(config -> 0);
    new picocli.CommandLine(command).parseArgs("--socket-transport", "epoll");
    assertThat(command.toConfig().socketTransport()).isEqualTo(SocketTransport.EPOLL);
    StartCommand defaults = new StartCommand(config -> 0);
    new picocli.CommandLine(defaults).parseArgs();
    assertThat(defaults.toConfig().socketTransport()).isEqualTo(SocketTransport.AUTO);
    StartCommand wrong = new StartCommand(config -> 0);
    new picocli.CommandLine(wrong).parseArgs("--socket-transport", "dpdk");
    assertThatThrownBy(wrong::toConfig).hasMessageContaining("--socket-transport is one of auto, io_uring, epoll, nio");
  }

  /** What a node does over its sockets: a large request body echoed, and a file sent (the console's pages). */
  @ParameterizedTest
  @ValueSource(strings = {"io_uring", "epoll", "nio"})
  void eachTransportThisMachineHasCarriesBodiesAndFilesIntact(String name, @TempDir Path dir) throws Exception {
    SocketTransport option = SocketTransport.parse(name);
    Transport transport = option == SocketTransport.IO_URING ? Transport.IO_URING
        : option == SocketTransport.EPOLL ? Transport.EPOLL : Transport.NIO;
    assumeThat(transport.available()).as(name + " on this machine").isTrue();
    byte[] payload = new byte[300_000];
    new Random(7).nextBytes(payload);
    Path file = Files.write(dir.resolve("page.bin"), payload);
    Vertx vertx = Vertx.builder().withTransport(option.resolve()).build();
    try {
      String handler = ((VertxInternal) vertx).transport().ioHandlerFactory().getClass().getName();
      assertThat(handler).containsIgnoringCase(name.equals("io_uring") ? "IoUring" : name);
      HttpServer server = vertx.createHttpServer().requestHandler(request -> {
        if (request.method() == HttpMethod.GET) {
          request.response().sendFile(file.toString());
        } else {
          request.body().onSuccess(body -> request.response().end(body));
        }
      }).listen(0, "127.0.0.1").await();
      HttpClientAgent client = vertx.createHttpClient();
      RequestOptions echo = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(server.actualPort())
          .setURI("/echo");
      Buffer echoed = client.request(echo).compose(request -> request.send(Buffer.buffer(payload)))
          .compose(HttpClientResponse::body).await();
      assertThat(echoed.getBytes()).isEqualTo(payload);
      Buffer sent = client.request(new RequestOptions(echo).setMethod(HttpMethod.GET).setURI("/file"))
          .compose(request -> request.send()).compose(HttpClientResponse::body).await();
      assertThat(sent.getBytes()).isEqualTo(payload);
    } finally {
      vertx.close().await();
    }
  }
}
