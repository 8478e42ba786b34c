package dev.gantry.config;

/**
 * Where a node serves its Prometheus metrics. By default ({@code port} null) at {@code /metrics} on the
 * public HTTP port, for admins only; with {@code --metrics-port}, on a listener of its own that answers
 * plain Prometheus text without authentication, bound to {@code --metrics-host} (loopback by default, so
 * only a scraper on the same host, or one the operator lets through, reaches it).
 */
public record MetricsConfig(String host, Integer port) {

  public static final String DEFAULT_HOST = "127.0.0.1";

  public static MetricsConfig onPublicPort() {
    return new MetricsConfig(DEFAULT_HOST, null);
  }

  public boolean ownListener() {
    return port != null;
  }
}
