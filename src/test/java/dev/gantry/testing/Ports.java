package dev.gantry.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on 127.0.0.1, never the same one twice in a JVM. They come from 20000–31999: below
 * the kernel's ephemeral range (so an outgoing connection cannot take one between the check and the
 * bind) and away from the engine port ranges (40000 and up) that nodes hand to their engines.
 */
public final class Ports {

  static final int FIRST = 20_000;
  static final int LAST = 31_999;
  private static final Set<Integer> HANDED_OUT = new HashSet<>();
  private static int next = FIRST + ThreadLocalRandom.current().nextInt(LAST - FIRST);

  public static synchronized int free() {
    for (int attempt = 0; attempt <= LAST - FIRST; attempt++) {
      int port = next;
      next = next == LAST ? FIRST : next + 1;
      if (!HANDED_OUT.contains(port) && bindable(port)) {
        HANDED_OUT.add(port);
        return port;
      }
    }
    throw new IllegalStateException("no free port found between " + FIRST + " and " + LAST);
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private Ports() {
  }
}
