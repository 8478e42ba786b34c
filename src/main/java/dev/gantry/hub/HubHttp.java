package dev.gantry.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Blocking HTTP for the hub clients (called from worker threads, never an event loop): follows up to
 * five redirects itself so that the {@code Authorization} header is dropped when a redirect leaves the
 * hub's host (a CDN or file host must never see the token), and turns connection failures into
 * retryable {@link HubException}s.
 */
public final class HubHttp {

  static final int MAX_REDIRECTS = 5;
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient client;

  public HubHttp() {
    this.client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1).build();
  }

  /** A GET with the given headers (and the token for the hub's own host); answers the final response, body unread. */
  public HttpResponse<InputStream> get(URI url, Map<String, String> headers, String token) throws IOException {
    URI current = url;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder request = HttpRequest.newBuilder(current).timeout(READ_TIMEOUT).GET()
          .header("User-Agent", "gantry").header("Accept-Encoding", "identity");
      headers.forEach(request::header);
      if (token != null && sameHost(url, current)) {
        request.header("Authorization", "Bearer " + token);
      }
      HttpResponse<InputStream> response = send(request.build(), url);
      int status = response.statusCode();
      if (status < 300 || status >= 400 || response.headers().firstValue("Location").isEmpty()) {
        return response;
      }
      response.body().close();
      current = current.resolve(response.headers().firstValue("Location").get());
    }
    throw new HubException(502, true, "too many redirects from " + url.getHost());
  }

  private HttpResponse<InputStream> send(HttpRequest request, URI origin) throws IOException {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (IOException e) {
      throw new HubException(502, true, "cannot reach " + origin.getScheme() + "://" + origin.getAuthority() + ": "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
  }

  static boolean sameHost(URI a, URI b) {
    return Objects.equals(a.getHost(), b.getHost()) && a.getPort() == b.getPort();
  }

  /** The body as text (for small JSON answers), closing the stream. */
  static String text(HttpResponse<InputStream> response) throws IOException {
    try (InputStream body = response.body()) {
      return new String(body.readNBytes(8 << 20), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
