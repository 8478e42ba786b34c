package dev.gantry.config;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The ports a node listens on, checked before anything starts: a second node on a host with the first
 * one's {@code --port} or {@code --cluster-port} stops at once with the option to change, instead of
 * starting its database and failing later with a bare "Address already in use".
 */
public final class ListenPorts {

  private ListenPorts() {
  }

  /** Throws, naming the option, when the HTTP, cluster or metrics port cannot be bound now. */
  public static void checkFree(GantryConfig config) {
    check(config.host(), config.port(), "--port");
    check(config.host(), config.clusterPort(), "--cluster-port");
    if (config.metrics().ownListener()) {
      check(config.metrics().host(), config.metrics().port(), "--metrics-port");
    }
  }

  private static void check(String host, int port, String option) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1);
    } catch (BindException e) {
      throw new IllegalStateException("cannot listen on " + host + ":" + port + " (" + option + "): " + e.getMessage()
          + " (another node on this host, or another program); give this node its own " + option);
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on " + host + ":" + port + " (" + option + "): " + e.getMessage());
    }
  }
}
