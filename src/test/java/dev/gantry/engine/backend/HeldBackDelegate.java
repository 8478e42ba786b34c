package dev.gantry.engine.backend;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Stands in front of a real engine's {@code /v1/chat/completions} as a stand-in's delegate and passes its
 * answer on, except that a stream stops after its first event until {@link #release()}: the engine has
 * answered, but as far as the stand-in can tell its delegate is still generating. A stand-in that passes
 * chunks on as they arrive gets that first event to its client meanwhile; one that waits for the whole answer
 * sends nothing.
 */
final class HeldBackDelegate implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient client = vertx.createHttpClient();
  private final URI engine;
  private final HttpServer server;
  private final List<Runnable> held = new ArrayList<>();
  private boolean released;

  HeldBackDelegate(String engineUrl) {
    this.engine = URI.create(engineUrl);
    this.server = vertx.createHttpServer().requestHandler(this::relay).listen(0, "127.0.0.1").await();
  }

  /** {@code http://127.0.0.1:<port>}, for {@link StandInEngine#delegateTo}. */
  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** Lets the rest of every held stream through, and every later one unheld. */
  synchronized void release() {
    released = true;
    held.forEach(Runnable::run);
    held.clear();
  }

  private void relay(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    request.body()
        .compose(body -> client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(engine.getHost())
            .setPort(engine.getPort()).setURI(request.uri())).compose(call -> {
              call.putHeader("Content-Type", "application/json");
              return call.send(body);
            }))
        .onSuccess(answer -> passOn(answer, response))
        .onFailure(e -> response.setStatusCode(502).end(e.toString()));
  }

  private void passOn(HttpClientResponse answer, HttpServerResponse response) {
    String type = answer.getHeader("Content-Type") == null ? "application/json" : answer.getHeader("Content-Type");
    response.setStatusCode(answer.statusCode()).putHeader("Content-Type", type);
    if (!type.startsWith("text/event-stream")) {
      answer.body().onSuccess(response::end);
      return;
    }
    response.setChunked(true);
    boolean[] first = {true};
    RecordParser events = RecordParser.newDelimited("\n\n", event -> {
      Buffer framed = event.copy().appendString("\n\n");
      if (first[0]) {
        first[0] = false;
        response.write(framed);
      } else {
        later(() -> response.write(framed));
      }
    });
    answer.handler(events);
    answer.endHandler(v -> later(response::end));
  }

  /** Writes are made under this object's lock (from the client's event loop or the test's thread), in order. */
  private synchronized void later(Runnable write) {
    if (released) {
      write.run();
    } else {
      held.add(write);
    }
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
