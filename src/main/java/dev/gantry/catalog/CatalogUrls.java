package dev.gantry.catalog;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catalog files an operator publishes at http(s) URLs ({@code --catalog-url}): fetched at start and every
 * refresh period, each validated like a file in {@code catalog.d}. A fetch that fails (unreachable, not
 * 200, too large, not a valid catalog) keeps the last good copy, is logged, and shows in the source's
 * status ({@code error}, {@code last_attempt}) beside the copy still served ({@code fetched_at}).
 */
public final class CatalogUrls {

  /** The most a catalog file may weigh. */
  public static final int MAX_BYTES = 4 << 20;
  private static final Logger LOG = LoggerFactory.getLogger(CatalogUrls.class);
  private static final long TIMEOUT_MS = 10_000;

  /** What is known of one URL: the last good copy (null: none yet) and the last attempt's error (null: it worked). */
  private record Status(String text, Instant fetchedAt, String error, Instant attemptedAt) {
  }

  private final Vertx vertx;
  private final List<URI> urls;
  private final Duration refresh;
  private final Map<URI, Status> statuses = new ConcurrentHashMap<>();
  private HttpClient client;
  private Context context;

  public CatalogUrls(Vertx vertx, List<URI> urls, Duration refresh) {
    this.vertx = vertx;
    this.urls = List.copyOf(urls);
    this.refresh = refresh;
  }

  /** No URLs: nothing is fetched. */
  public static CatalogUrls none() {
    return new CatalogUrls(null, List.of(), Duration.ofMinutes(10));
  }

  /** Fetches every URL once (never fails: a failure is a status), then again every refresh period. */
  public Future<Void> start() {
    if (urls.isEmpty()) {
      return Future.succeededFuture();
    }
    client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) TIMEOUT_MS).setKeepAlive(false));
    context = vertx.getOrCreateContext();
    return fetchAll().onComplete(v -> vertx.setPeriodic(refresh.toMillis(), t -> fetchAll()));
  }

  /**
   * Fetches every URL, on this object's Vert.x context whoever calls: a response's body must be asked for
   * on the thread that receives it, and a request chained from a thread outside Vert.x (the node's main
   * thread at start) could see its response end before {@code body()} was called, and wait forever.
   */
  Future<Void> fetchAll() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> Future.join(urls.stream().map(this::fetch).toList()).<Void>mapEmpty().onComplete(done));
    return done.future();
  }

  private Future<Void> fetch(URI url) {
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url.toString()).setTimeout(TIMEOUT_MS)
            .putHeader("Accept", "application/json"))
        .compose(request -> request.send())
        .compose(response -> {
          String length = response.getHeader("Content-Length");
          if (response.statusCode() != 200) {
            return response.body().<Buffer>transform(x -> Future.failedFuture("HTTP " + response.statusCode()));
          }
          if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > MAX_BYTES) {
            return Future.<Buffer>failedFuture("the file is larger than " + (MAX_BYTES >> 20) + " MiB");
          }
          return response.body();
        })
        .map(body -> {
          if (body.length() > MAX_BYTES) {
            throw new IllegalStateException("the file is larger than " + (MAX_BYTES >> 20) + " MiB");
          }
          String text = body.toString();
          String invalid = Catalog.problem(url.toString(), text);
          if (invalid != null) {
            throw new IllegalStateException("not a valid catalog file: " + invalid);
          }
          return text;
        })
        .onSuccess(text -> statuses.put(url, new Status(text, Instant.now(), null, Instant.now())))
        .onFailure(e -> {
          Status last = statuses.get(url);
          String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
          statuses.put(url, new Status(last == null ? null : last.text(), last == null ? null : last.fetchedAt(), message,
              Instant.now()));
          LOG.warn("catalog url not fetched; {} [url: {}, error: {}]",
              last == null || last.text() == null ? "it contributes nothing" : "keeping the last good copy", url, message);
        })
        .<Void>mapEmpty().otherwiseEmpty();
  }

  /** Reads each URL's last good copy into {@code families}, in order, and reports each URL in {@code sources}. */
  void addTo(Map<String, CatalogFamily> families, JsonArray sources) {
    for (URI url : urls) {
      Status status = statuses.get(url);
      JsonObject entry;
      if (status == null) {
        entry = new JsonObject().put("source", url.toString()).put("error", "not fetched yet");
      } else if (status.text() == null) {
        entry = new JsonObject().put("source", url.toString()).put("error", status.error());
      } else {
        JsonArray read = new JsonArray();
        Catalog.read(url.toString(), status.text(), families, read);
        entry = read.getJsonObject(0).put("fetched_at", status.fetchedAt().toString());
        if (status.error() != null) {
          entry.put("error", status.error() + "; the copy fetched at " + status.fetchedAt() + " is used");
        }
      }
      if (status != null) {
        entry.put("last_attempt", status.attemptedAt().toString());
      }
      sources.add(entry);
    }
  }
}
