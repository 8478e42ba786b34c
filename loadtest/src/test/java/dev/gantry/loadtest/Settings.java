package dev.gantry.loadtest;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What a run is pointed at and how hard it pushes, from system properties ({@code -Dname=value} on the
 * {@code mvn gatling:test} command line) with defaults that make a short, gentle run against a local node.
 */
final class Settings {

  /**
   * Node (or load balancer) to call; several, comma separated, spread the virtual users over the nodes
   * of a cluster (each user keeps one node, round robin).
   */
  static final List<String> BASE_URLS = Arrays.stream(System.getProperty("baseUrl", "http://localhost:8080").split(","))
      .map(String::trim).filter(url -> !url.isEmpty()).map(url -> url.replaceAll("/+$", "")).toList();
  /** Virtual users per scenario; each one sends its requests back to back for {@link #DURATION}. */
  static final int USERS = Integer.getInteger("users", 4);
  /** Users start evenly spread over this time. */
  static final Duration RAMP = Duration.ofSeconds(Long.getLong("ramp", 2));
  /** How long each user keeps sending requests once started. */
  static final Duration DURATION = Duration.ofSeconds(Long.getLong("duration", 30));
  /** Think time between two requests of one user (0: none). */
  static final Duration PAUSE = Duration.ofMillis(Long.getLong("pauseMs", 0));

  private Settings() {
  }

  /** The API key: {@code -DapiKey=...} or the environment variable {@code GANTRY_API_KEY}. */
  static String apiKey() {
    String key = System.getProperty("apiKey", System.getenv("GANTRY_API_KEY"));
    if (key == null || key.isBlank()) {
      throw new IllegalStateException("no API key: export GANTRY_API_KEY=gt-... (or pass -DapiKey=gt-...);"
          + " create one with POST /v2/api-keys");
    }
    return key.trim();
  }

  static String describe() {
    return "baseUrl=" + String.join(",", BASE_URLS) + " users=" + USERS + " ramp=" + RAMP.toSeconds() + "s duration="
        + DURATION.toSeconds() + "s pauseMs=" + PAUSE.toMillis();
  }
}
