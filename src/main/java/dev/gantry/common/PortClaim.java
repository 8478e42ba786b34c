package dev.gantry.common;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A port of this host held by one Gantry node, so that nodes on one machine never choose the same one
 * (engine ports, the embedded database's default port). A claim is an exclusive lock on
 * {@code <java.io.tmpdir>/gantry-ports/<port>.lock}, which every node takes before it uses a port it chose
 * itself and keeps until it lets the port go; the operating system drops the lock when the process dies,
 * so a killed node leaves no claim behind. A port is only claimed when it can also be bound right now: one
 * used by another program is skipped too.
 *
 * <p>Locks are per process, so claims within this JVM (several nodes in one test JVM) are kept in a set as
 * well. Where the lock file cannot be opened (a folder made by another user) the claim holds within this
 * JVM only, and the bind test alone guards against other processes, as before claims existed.
 */
public final class PortClaim implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PortClaim.class);
  static final Path DIR = prepared(Path.of(System.getProperty("java.io.tmpdir"), "gantry-ports"));
  private static final Set<Integer> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private final int port;
  private final FileChannel channel;
  private final AtomicBoolean closed = new AtomicBoolean();

  private PortClaim(int port, FileChannel channel) {
    this.port = port;
    this.channel = channel;
  }

  /** Claims {@code port} when no node of this host holds it and it can be bound on {@code host} now. */
  public static Optional<PortClaim> tryClaim(String host, int port) {
    if (!HELD_IN_THIS_JVM.add(port)) {
      return Optional.empty();
    }
    PortClaim claim = lock(port);
    if (claim == null) {
      HELD_IN_THIS_JVM.remove(port);
      return Optional.empty();
    }
    if (!bindable(host, port)) {
      claim.close();
      return Optional.empty();
    }
    return Optional.of(claim);
  }

  public int port() {
    return port;
  }

  /** Lets the port go; safe to call more than once. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing the channel drops the lock; a failure leaves nothing to undo
      }
    }
    HELD_IN_THIS_JVM.remove(port);
  }

  /** The claim, a claim without a lock file when none can be opened, or null when another process holds it. */
  private static PortClaim lock(int port) {
    FileChannel channel;
    try {
      channel = FileChannel.open(lockFile(port), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException | UnsupportedOperationException e) {
      if (WARNED.compareAndSet(false, true)) {
        LOG.warn("cannot use port lock files, nodes on this host may choose the same port [folder: {}] [reason: {}]",
            DIR, e.toString());
      }
      return new PortClaim(port, null);
    }
    try {
      if (channel.tryLock() != null) {
        return new PortClaim(port, channel);
      }
    } catch (IOException e) {
      LOG.warn("cannot lock {}: {}", lockFile(port), e.toString());
    }
    closeQuietly(channel);
    return null;
  }

  private static Path lockFile(int port) {
    return DIR.resolve(port + ".lock");
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing was locked through it
    }
  }

  /** Makes the folder all users' nodes share; each lock file belongs to whoever made it. */
  private static Path prepared(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
      }
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("cannot prepare {}: {}", dir, e.toString());
    }
    return dir;
  }

  private static boolean bindable(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
