package dev.gantry.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A long-lived response (a watch stream, a log follow) read in the background until the server ends it,
 * so a test can assert that it ends, and when.
 */
public final class OpenStream implements AutoCloseable {

  private final InputStream body;
  private final CountDownLatch ended = new CountDownLatch(1);
  private final StringBuffer text = new StringBuffer();

  private OpenStream(InputStream body, String name) {
    this.body = body;
    Thread reader = new Thread(this::read, "open-stream-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens {@code path} as the given client; fails unless the answer is a 200 (its headers arrived). */
  public static OpenStream open(Api api, String path) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).GET();
    api.headers().forEach(request::header);
    try {
      HttpResponse<InputStream> response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
          .get(10, TimeUnit.SECONDS);
      if (response.statusCode() != 200) {
        String answer = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        throw new AssertionError("expected 200 from " + path + " but got " + response.statusCode() + " " + answer);
      }
      return new OpenStream(response.body(), path);
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot open " + path + ": " + e, e);
    }
  }

  /** Whether the server ended the response within the time given. */
  public boolean endsWithin(Duration timeout) {
    try {
      return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public boolean ended() {
    return ended.getCount() == 0;
  }

  /** What was received so far. */
  public String text() {
    return text.toString();
  }

  private void read() {
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = body.read(buffer)) >= 0) {
        text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // a reset ends the stream as well
    } finally {
      ended.countDown();
    }
  }

  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException e) {
      // going away either way
    }
  }
}
