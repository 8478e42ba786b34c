package dev.gantry.engine.metrics;

/**
 * A running engine of this node whose metrics are read: where ({@code 127.0.0.1:port/path}, with the
 * engine key for engines that guard every path), and what reads them (backend and version pick the names).
 */
public record ScrapeTarget(String instanceId, String instanceName, String model, String backend, String version,
    int port, String path, String engineKey) {
}
