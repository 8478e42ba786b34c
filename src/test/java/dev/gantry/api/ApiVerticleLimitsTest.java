package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Eventually;
import dev.gantry.testing.Ports;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The HTTP server's limits: a connection cap, an idle timeout that watch keep-alives stay under, no compression")
class ApiVerticleLimitsTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void closesConnectionsBeyondTheCapAndAdmitsAgainWhenOneCloses() throws Exception {
    int port = Ports.free();
    AtomicInteger open = new AtomicInteger();
    vertx.deployVerticle(new ApiVerticle("127.0.0.1", port, v -> {
      Router router = Router.router(v);
      router.get("/").handler(ctx -> ctx.response().end("ok"));
      return router;
    }, open, 2)).await();

    try (Socket first = new Socket("127.0.0.1", port); Socket second = new Socket("127.0.0.1", port)) {
      assertThat(ask(first)).contains("200 OK");
      assertThat(ask(second)).contains("200 OK");
      try (Socket third = new Socket("127.0.0.1", port)) {
        assertThat(ask(third)).as("the third connection is closed unanswered").isEmpty();
      }
      assertThat(open.get()).isEqualTo(2);
      first.close();
      Eventually.await(Duration.ofSeconds(5), () -> {
        try (Socket again = new Socket("127.0.0.1", port)) {
          assertThat(ask(again)).contains("200 OK");
        }
      });
    }
  }

  /**
   * Answers leave as they are, whatever the client accepts: SDK clients ask for gzip on every call, and
   * compressing each small answer cost the gateway a third of its CPU per request (and a stream its flushes).
   */
  @Test
  void answersAreNotCompressedEvenWhenTheClientAcceptsGzip() throws Exception {
    int port = Ports.free();
    String body = "{\"choices\":[" + "{\"text\":\"the same words again\"},".repeat(100) + "{}]}";
    vertx.deployVerticle(new ApiVerticle("127.0.0.1", port, v -> {
      Router router = Router.router(v);
      router.get("/").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json").end(body));
      return router;
    }, new AtomicInteger())).await();

    HttpClient client = vertx.createHttpClient();
    // the body is asked for in the response's own callback: asked later, from this thread, it may have come and gone
    String[] encoding = new String[1];
    String received = client.request(HttpMethod.GET, port, "127.0.0.1", "/")
        .compose(request -> request.putHeader("Accept-Encoding", "gzip, deflate, br").send())
        .compose(response -> {
          encoding[0] = response.getHeader("Content-Encoding");
          return response.body();
        }).await().toString();

    assertThat(encoding[0]).isNull();
    assertThat(received).isEqualTo(body);
  }

  @Test
  void watchKeepAlivesComeWellWithinTheIdleTimeout() {
    assertThat(SseWatch.KEEP_ALIVE_MS * 4).isLessThanOrEqualTo(ApiVerticle.IDLE_TIMEOUT_S * 1000L);
  }

  /** Sends a keep-alive GET / and answers what came back before the server went quiet or closed. */
  private static String ask(Socket socket) throws IOException {
    socket.setSoTimeout(5_000);
    socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    StringBuilder answer = new StringBuilder();
    byte[] buffer = new byte[1024];
    try {
      int n;
      while ((n = in.read(buffer)) > 0) {
        answer.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
        if (answer.toString().endsWith("ok")) {
          break;
        }
      }
    } catch (SocketTimeoutException e) {
      return answer + "(no answer and no close within 5 s)";
    } catch (IOException e) {
      // a reset is a close
    }
    return answer.toString();
  }
}
