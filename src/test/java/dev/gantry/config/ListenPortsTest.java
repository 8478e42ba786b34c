package dev.gantry.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.testing.Ports;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A second node on a host with the first one's ports stops at once, naming the option to change. */
class ListenPortsTest {

  private final int http = Ports.free();
  private final int cluster = Ports.free();
  private final int metrics = Ports.free();

  private GantryConfig config() {
    StartCommand command = new StartCommand(config -> 0);
    new CommandLine(command).setDefaultValueProvider(new GantryDefaults(Map.of(), new Properties())).parseArgs(
        "--port", String.valueOf(http), "--cluster-port", String.valueOf(cluster), "--metrics-port", String.valueOf(metrics));
    return command.toConfig();
  }

  @Test
  void freePortsPass() {
    assertThatCode(() -> ListenPorts.checkFree(config())).doesNotThrowAnyException();
  }

  @Test
  void eachTakenPortNamesItsOption() throws Exception {
    Map<Integer, String> options = Map.of(http, "--port", cluster, "--cluster-port", metrics, "--metrics-port");
    for (Map.Entry<Integer, String> taken : options.entrySet()) {
      try (ServerSocket other = new ServerSocket(taken.getKey(), 1, InetAddress.getByName("127.0.0.1"))) {
        assertThatThrownBy(() -> ListenPorts.checkFree(config()))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken.getKey() + " (" + taken.getValue() + "): ")
            .hasMessageEndingWith("(another node on this host, or another program); give this node its own "
                + taken.getValue());
      }
    }
  }
}
