package dev.gantry.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything a node needs to start, resolved from the command line, {@code GANTRY_*} environment
 * variables and {@code conf/gantry.properties}, in that order of precedence.
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
    int embeddedDbPort,
    Duration nodeExpiry,
    String bootstrapPassword,
    int httpInstances,
    String enginePorts,
    String llamaServer,
    Duration rescheduleGrace,
    OidcConfig oidc) {

  public boolean embeddedDatabase() {
    return dbUrl == null || dbUrl.isBlank();
  }

  public GantryConfig withDbUrl(String url) {
    return new GantryConfig(dataDir, host, port, clusterPort, join, nodeName, labels, url,
        embeddedDbPort, nodeExpiry, bootstrapPassword, httpInstances, enginePorts, llamaServer, rescheduleGrace, oidc);
  }
}
