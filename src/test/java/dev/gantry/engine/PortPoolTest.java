package dev.gantry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.testing.Ports;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Engine ports: never the same one to two nodes of a host, never one another program uses. */
class PortPoolTest {

  private static final String HOST = "127.0.0.1";

  @Test
  void twoNodesWithTheSameRangeNeverHandOutTheSamePort() {
    int base = Ports.free();
    String range = base + "-" + (base + 5);
    PortPool first = new PortPool(range, HOST);
    PortPool second = new PortPool(range, HOST);

    Set<Integer> handedOut = new HashSet<>();
    for (PortPool pool : List.of(first, second, first, second)) {
      int port = pool.acquire();
      assertThat(port).isBetween(base, base + 5);
      assertThat(handedOut.add(port)).as("port %d handed out twice", port).isTrue();
    }
    handedOut.forEach(port -> {
      first.release(port);
      second.release(port);
    });
  }

  @Test
  void aReleasedPortCanBeHandedOutAgainAndABusyOneIsSkipped() throws Exception {
    int port = Ports.free();
    PortPool pool = new PortPool(port + "-" + port, HOST);
    PortPool otherNode = new PortPool(port + "-" + port, HOST);

    int mine = pool.acquire();
    assertThatThrownBy(otherNode::acquire).hasMessage("no free engine port left in " + port + "-" + port
        + " (used by engines of the nodes on this host or by other programs); widen --engine-ports");

    pool.release(mine);
    assertThat(otherNode.acquire()).isEqualTo(port);
    otherNode.release(port);

    try (ServerSocket program = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
      assertThatThrownBy(pool::acquire).hasMessageStartingWith("no free engine port left");
    }
  }
}
