package dev.gantry.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Hands out engine ports from a configured range: not in use by another engine here, and bindable now. */
public final class PortPool {

  private final int first;
  private final int last;
  private final String host;
  private final Set<Integer> taken = new HashSet<>();
  private int next;

  public PortPool(String range, String host) {
    String[] bounds = range.split("-");
    this.first = Integer.parseInt(bounds[0]);
    this.last = Integer.parseInt(bounds[1]);
    this.host = host;
    this.next = first;
    if (first > last || first < 1 || last > 65535) {
      throw new IllegalArgumentException("invalid engine port range " + range);
    }
  }

  public synchronized int acquire() {
    int span = last - first + 1;
    for (int i = 0; i < span; i++) {
      int candidate = first + (next - first + i) % span;
      if (!taken.contains(candidate) && free(candidate)) {
        taken.add(candidate);
        next = candidate + 1 > last ? first : candidate + 1;
        return candidate;
      }
    }
    throw new IllegalStateException("no free engine port left in " + first + "-" + last);
  }

  public synchronized void release(int port) {
    taken.remove(port);
  }

  private boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(host))) {
      socket.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
