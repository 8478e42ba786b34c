package dev.gantry.testing;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A browser without JavaScript for sign-in flows: keeps cookies like a browser (per host, path, expiry)
 * and follows no redirect by itself, so a test sees every hop.
 */
public final class TestBrowser {

  private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER).cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5)).build();

  public HttpResponse<String> get(String url) {
    return send("GET", url, Map.of(), null);
  }

  public HttpResponse<String> get(String url, Map<String, String> headers) {
    return send("GET", url, headers, null);
  }

  /** A POST from a page of the same origin (it carries that {@code Origin}, as a browser's does). */
  public HttpResponse<String> post(String url) {
    URI uri = URI.create(url);
    return send("POST", url, Map.of("Origin", uri.getScheme() + "://" + uri.getRawAuthority()), null);
  }

  /** Submits an HTML form ({@code application/x-www-form-urlencoded}) to {@code url}. */
  public HttpResponse<String> postForm(String url, Map<String, String> fields) {
    String body = fields.entrySet().stream().map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    return send("POST", url, Map.of("Content-Type", "application/x-www-form-urlencoded"), body);
  }

  /** The Location of a redirect, resolved against the URL that answered it; fails on anything else. */
  public static String location(HttpResponse<String> response) {
    if (response.statusCode() != 302 && response.statusCode() != 303) {
      throw new AssertionError("expected a redirect from " + response.uri() + " but got " + response.statusCode()
          + " " + response.body());
    }
    return response.uri().resolve(response.headers().firstValue("Location").orElseThrow()).toString();
  }

  /** The value of a cookie this browser would send to {@code url}, or null. */
  public String cookie(String url, String name) {
    return cookies.getCookieStore().get(URI.create(url)).stream().filter(c -> c.getName().equals(name))
        .map(HttpCookie::getValue).findFirst().orElse(null);
  }

  private HttpResponse<String> send(String method, String url, Map<String, String> headers, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + url + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
