package dev.gantry.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small client of one node's HTTP API. Immutable: {@link #login} and {@link #withKey} answer a new
 * client that sends the session cookie or the API key on every request.
 */
public final class Api {

  public static final String SESSION_COOKIE = "gantry_session";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final String baseUrl;
  private final Map<String, String> headers;

  public Api(String baseUrl) {
    this(baseUrl, Map.of());
  }

  private Api(String baseUrl, Map<String, String> headers) {
    this.baseUrl = baseUrl;
    this.headers = headers;
  }

  /** What came back: status, headers and the body as text, with JSON views. */
  public record Response(int status, HttpHeaders headers, String body) {

    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray items() {
      return json().getJsonArray("items");
    }

    public Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    public List<String> allHeaders(String name) {
      return headers.allValues(name);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public String baseUrl() {
    return baseUrl;
  }

  public Api withHeader(String name, String value) {
    Map<String, String> next = new LinkedHashMap<>(headers);
    next.put(name, value);
    return new Api(baseUrl, next);
  }

  /** The same caller against another node (session cookie or key included). */
  public Api on(String otherBaseUrl) {
    return new Api(otherBaseUrl, headers);
  }

  public Api withKey(String apiKey) {
    return withHeader("Authorization", "Bearer " + apiKey);
  }

  /**
   * Like a script elsewhere rather than the console's own page: sends no {@code Origin} (by default every
   * request carries this node's origin, as a browser's same-origin request does).
   */
  public Api withoutOrigin() {
    return withHeader("Origin", "");
  }

  private static String origin(String url) {
    URI uri = URI.create(url);
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }

  public Api withCookie(String cookie) {
    return withHeader("Cookie", cookie);
  }

  /** The headers this client adds to every request (cookie, Authorization, Origin when set). */
  public Map<String, String> headers() {
    return headers;
  }

  /** The {@code name=value} of the session cookie this client sends, if any. */
  public String cookie() {
    return headers.get("Cookie");
  }

  /** Signs in (JSON) and answers a client carrying the session cookie; fails unless the answer is 200. */
  public Api login(String username, String password) {
    Response response = loginAttempt(username, password);
    if (response.status() != 200) {
      throw new AssertionError("login of " + username + " failed: " + response);
    }
    return withCookie(sessionCookie(response));
  }

  public Response loginAttempt(String username, String password) {
    return post("/auth/login", new JsonObject().put("username", username).put("password", password));
  }

  public Response loginWithForm(String username, String password) {
    String form = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
        + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
    return send("POST", "/auth/login", "application/x-www-form-urlencoded", form.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code gantry_session=<id>} from a response's Set-Cookie header. */
  public static String sessionCookie(Response response) {
    return setCookie(response).split(";", 2)[0].strip();
  }

  /** The whole Set-Cookie header of the session cookie (with its attributes). */
  public static String setCookie(Response response) {
    return response.allHeaders("Set-Cookie").stream().filter(c -> c.startsWith(SESSION_COOKIE + "="))
        .reduce((first, second) -> second)
        .orElseThrow(() -> new AssertionError("no " + SESSION_COOKIE + " cookie set: " + response.headers().map()));
  }

  public Response get(String path) {
    return send("GET", path, null, null);
  }

  public Response delete(String path) {
    return send("DELETE", path, null, null);
  }

  public Response post(String path, JsonObject body) {
    return send("POST", path, "application/json", body.encode().getBytes(StandardCharsets.UTF_8));
  }

  public Response patch(String path, JsonObject body) {
    return send("PATCH", path, "application/json", body.encode().getBytes(StandardCharsets.UTF_8));
  }

  /** Any method with a raw body (null for none). */
  public Response send(String method, String path, String contentType, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (!headers.containsKey("Origin")) {
      request.header("Origin", origin(baseUrl));
    }
    headers.forEach((name, value) -> {
      if (!value.isEmpty()) {
        request.header(name, value);
      }
    });
    try {
      HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + baseUrl + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  // Domain helpers: each asserts the call succeeded and answers the created item.

  /** Creates a user (as an admin) and answers it. */
  public JsonObject createUser(String username, String password, String role) {
    Response response = post("/v2/users", new JsonObject().put("username", username).put("password", password)
        .put("full_name", "Test " + username).put("role", role));
    return expect(response, 201);
  }

  /** Creates an API key for the caller and answers the creation response (with the full {@code value}). */
  public JsonObject createKey(String name, String scope) {
    return createKey(new JsonObject().put("name", name).put("scope", scope));
  }

  public JsonObject createKey(JsonObject body) {
    return expect(post("/v2/api-keys", body), 201);
  }

  public static JsonObject expect(Response response, int status) {
    if (response.status() != status) {
      throw new AssertionError("expected " + status + " but got " + response);
    }
    return response.body().isEmpty() ? new JsonObject() : response.json();
  }
}
