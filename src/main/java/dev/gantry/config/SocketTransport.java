package dev.gantry.config;

import io.vertx.core.transport.Transport;
import java.util.Locale;

/**
 * Which of Netty's transports carries the node's sockets (HTTP server, engine and provider clients, PostgreSQL),
 * {@code --socket-transport}. {@link #AUTO}, the default, takes io_uring where the kernel allows a ring (not under
 * Docker's default seccomp profile, for one), else epoll, else Java NIO. io_uring submits a whole event-loop turn's
 * reads and writes in one system call where epoll makes one per read or write, which matters on virtual machines
 * that pay for every system call (measured 2026-12-03: the gateway benchmark's node took 0.70x the CPU per request
 * and served 1.25x the requests per second). Naming a transport makes it required: a node told {@code io_uring}
 * where it cannot run refuses to start and says why. Hazelcast keeps its own sockets.
 */
public enum SocketTransport {
  AUTO, IO_URING, EPOLL, NIO;

  /** Parses an option value: {@code auto}, {@code io_uring}, {@code epoll} or {@code nio}, any case. */
  public static SocketTransport parse(String value) {
    String name = value == null ? "" : value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (SocketTransport transport : values()) {
      if (transport.name().equals(name)) {
        return transport;
      }
    }
    throw new IllegalArgumentException("--socket-transport is one of auto, io_uring, epoll, nio; got '" + value + "'");
  }

  /** The transport to build Vert.x with; for a named one that this machine cannot run, why not. */
  public Transport resolve() {
    return switch (this) {
      case AUTO -> available(Transport.IO_URING) ? Transport.IO_URING
          : available(Transport.EPOLL) ? Transport.EPOLL : Transport.NIO;
      case IO_URING -> required("io_uring", Transport.IO_URING);
      case EPOLL -> required("epoll", Transport.EPOLL);
      case NIO -> Transport.NIO;
    };
  }

  /** The option value that names a Vert.x transport, as the node logs it. */
  public static String label(Transport transport) {
    return transport.name().toLowerCase(Locale.ROOT);
  }

  /** Vert.x leaves a transport null when its Netty classes are not on the class path (kqueue on Linux). */
  private static boolean available(Transport transport) {
    return transport != null && transport.available();
  }

  static Transport required(String label, Transport transport) {
    if (!available(transport)) {
      Throwable cause = transport == null ? null : transport.unavailabilityCause();
      throw new IllegalStateException("--socket-transport " + label + " is not available on this machine ("
          + (cause == null ? "its native library is not included" : cause.getMessage())
          + "); use --socket-transport auto to fall back");
    }
    return transport;
  }
}
