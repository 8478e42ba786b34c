package dev.gantry.config;

import dev.gantry.cluster.ClusterSecret;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * Everything a node needs to start, resolved from the command line, {@code GANTRY_*} environment
 * variables and {@code conf/gantry.properties}, in that order of precedence. {@code clusterSecret} is null
 * until {@code ClusterSecrets} resolved it (given, kept in the data directory, or generated).
 * {@code trustedProxies}: CIDRs of reverse proxies whose {@code X-Forwarded-For} names the client.
 * {@code embeddedDbPort} is null when not given: the data directory keeps a port it chose.
 * {@code enginesDir}: where engine executables live, one folder per backend and version (null: PATH only).
 * {@code quotaZone}: the time zone whose calendar days and months token quotas renew by.
 * {@code currency}: what prices and cost budgets are in (a currency code, e.g. USD).
 * {@code containers}: whether versioned engines run as containers, and with which runtime and images.
 * {@code sources}: default hub endpoints and catalog URLs.
 * {@code socketTransport}: which of Netty's transports carries the node's sockets (io_uring, epoll, NIO).
 * {@code inferenceBodyLimit}: the largest body, in bytes, of an authenticated {@code /v1} request (images, audio).
 */
public record GantryConfig(
    Path dataDir,
    String host,
    int port,
    int clusterPort,
    List<String> join,
    String nodeName,
    Map<String, String> labels,
    String dbUrl,
    Integer embeddedDbPort,
    Duration nodeExpiry,
    String bootstrapPassword,
    int httpInstances,
    String enginePorts,
    String llamaServer,
    Path enginesDir,
    Duration rescheduleGrace,
    Duration stopTimeout,
    OidcConfig oidc,
    ClusterSecret clusterSecret,
    List<String> trustedProxies,
    MetricsConfig metrics,
    ZoneId quotaZone,
    String currency,
    ContainerConfig containers,
    SourcesConfig sources,
    SocketTransport socketTransport,
    long inferenceBodyLimit) {

  public boolean embeddedDatabase() {
    return dbUrl == null || dbUrl.isBlank();
  }

  public GantryConfig withDbUrl(String url) {
    return new GantryConfig(dataDir, host, port, clusterPort, join, nodeName, labels, url,
        embeddedDbPort, nodeExpiry, bootstrapPassword, httpInstances, enginePorts, llamaServer, enginesDir, rescheduleGrace, stopTimeout, oidc, clusterSecret, trustedProxies, metrics, quotaZone, currency, containers, sources, socketTransport,
        inferenceBodyLimit);
  }

  public GantryConfig withClusterSecret(ClusterSecret secret) {
    return new GantryConfig(dataDir, host, port, clusterPort, join, nodeName, labels, dbUrl,
        embeddedDbPort, nodeExpiry, bootstrapPassword, httpInstances, enginePorts, llamaServer, enginesDir, rescheduleGrace, stopTimeout, oidc, secret, trustedProxies, metrics, quotaZone, currency, containers, sources, socketTransport,
        inferenceBodyLimit);
  }
}
