package dev.gantry.testing;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Reads a {@code ?watch=true} Server-Sent Events stream line by line on its own thread and queues
 * each complete event ({@code event:}, {@code id:}, {@code data:}). Tests take events with
 * {@link #awaitEvent}; everything received stays in {@link #received()}.
 */
public final class SseClient implements AutoCloseable {

  /** One SSE event; {@code id} is null when the event had no {@code id:} line. */
  public record Event(String event, Long id, String data) {

    public JsonObject json() {
      return new JsonObject(data);
    }

    /** A field of the JSON item the event carries. */
    public Object item(String field) {
      return json().getValue(field);
    }

    @Override
    public String toString() {
      return event + "#" + id + " " + data;
    }
  }

  private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
  private final List<Event> received = new ArrayList<>();
  private final InputStream body;
  private final Thread reader;
  private volatile boolean closed;

  private SseClient(InputStream body, String name) {
    this.body = body;
    this.reader = new Thread(this::read, "sse-" + name);
    this.reader.setDaemon(true);
    this.reader.start();
  }

  /**
   * Opens {@code url} (a {@code ?watch=true} list URL) with the given headers (cookie, Authorization,
   * Last-Event-ID); fails unless the answer is a 200 event stream.
   */
  public static SseClient open(String url, Map<String, String> headers) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET();
    headers.forEach(request::header);
    try {
      HttpResponse<InputStream> response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
          .get(10, TimeUnit.SECONDS);
      String type = response.headers().firstValue("Content-Type").orElse("");
      if (response.statusCode() != 200 || !type.startsWith("text/event-stream")) {
        String text = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        response.body().close();
        throw new AssertionError("expected an event stream from " + url + " but got " + response.statusCode()
            + " " + type + " " + text);
      }
      return new SseClient(response.body(), URI.create(url).getPath());
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot open " + url + ": " + e, e);
    }
  }

  /** Opens the watch stream of an API path ({@code /v2/nodes}) as the given client. */
  public static SseClient watch(Api api, String path) {
    return watch(api, path, null);
  }

  /** Same, resuming after {@code lastEventId} with the {@code Last-Event-ID} header. */
  public static SseClient watch(Api api, String path, Long lastEventId) {
    Map<String, String> headers = new LinkedHashMap<>(api.headers());
    if (lastEventId != null) {
      headers.put("Last-Event-ID", String.valueOf(lastEventId));
    }
    String separator = path.contains("?") ? "&" : "?";
    return open(api.baseUrl() + path + separator + "watch=true", headers);
  }

  /**
   * Takes events off the queue until one matches and answers it; the ones before it are consumed
   * (they stay in {@link #received()}). Fails with everything received when none matches in time.
   */
  public Event awaitEvent(Predicate<Event> matching, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        Event event = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
        if (event == null) {
          throw new AssertionError("no matching event within " + timeout.toMillis() + " ms; received: " + received());
        }
        if (matching.test(event)) {
          return event;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Watches the stream for {@code window} and fails as soon as a matching event arrives: a negative
   * check (nothing happened), not a wait for something. Events that do not match are consumed.
   */
  public void assertNoEvent(Predicate<Event> matching, Duration window) {
    long deadline = System.nanoTime() + window.toNanos();
    try {
      for (long left = window.toNanos(); left > 0; left = deadline - System.nanoTime()) {
        Event event = queue.poll(left, TimeUnit.NANOSECONDS);
        if (event != null && matching.test(event)) {
          throw new AssertionError("unexpected event within " + window.toMillis() + " ms: " + event);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Takes the next event, whatever it is. */
  public Event next(Duration timeout) {
    return awaitEvent(e -> true, timeout);
  }

  /** Events still queued, without waiting. */
  public List<Event> pending() {
    List<Event> out = new ArrayList<>();
    queue.drainTo(out);
    return out;
  }

  /** Every event received so far, in order. */
  public List<Event> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  private void read() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String event = null;
      Long id = null;
      StringBuilder data = null;
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isEmpty()) {
          if (data != null) {
            Event complete = new Event(event == null ? "message" : event, id, data.toString());
            synchronized (received) {
              received.add(complete);
            }
            queue.add(complete);
          }
          event = null;
          id = null;
          data = null;
        } else if (line.startsWith(":")) {
          continue;
        } else if (line.startsWith("event:")) {
          event = value(line);
        } else if (line.startsWith("id:")) {
          id = Long.parseLong(value(line));
        } else if (line.startsWith("data:")) {
          data = data == null ? new StringBuilder(value(line)) : data.append('\n').append(value(line));
        }
      }
    } catch (IOException e) {
      if (!closed) {
        System.err.println("sse stream ended: " + e);
      }
    }
  }

  private static String value(String line) {
    String value = line.substring(line.indexOf(':') + 1);
    return value.startsWith(" ") ? value.substring(1) : value;
  }

  @Override
  public void close() {
    closed = true;
    try {
      body.close();
    } catch (IOException e) {
      // the stream is going away either way
    }
    reader.interrupt();
  }
}
