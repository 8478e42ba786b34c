package dev.gantry.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A postmaster still running on our data directory although no node owns it: the node that started
 * it was killed ({@code pg_ctl} gives the postmaster a session of its own, so it outlives a
 * {@code kill -9} of the node's process group). It is stopped before the next start on that directory.
 * A postmaster whose node is alive (that node's JVM holds zonky's {@code epg-lock}) is left alone.
 */
final class OrphanPostmaster {

  private static final Logger LOG = LoggerFactory.getLogger(OrphanPostmaster.class);
  private static final String ZONKY_LOCK = "epg-lock";

  private OrphanPostmaster() {
  }

  /** Stops the postmaster named by {@code <pgData>/postmaster.pid} when it runs and no live node owns it. */
  static void stopIfLeft(Path pgData) throws IOException {
    Optional<ProcessHandle> postmaster = running(pgData);
    if (postmaster.isEmpty()) {
      return;
    }
    long pid = postmaster.get().pid();
    if (ownedByLiveNode(pgData)) {
      throw new IllegalStateException("the data directory " + pgData.getParent() + " is in use by another running node "
          + "(its postgresql has pid " + pid + "); stop that node or give this one its own --data-dir");
    }
    LOG.warn("stopping the embedded postgresql left running by a node that did not stop it [pid: {}] [data: {}]", pid, pgData);
    if (!signalAndWait(postmaster.get(), "INT", 30) && !signalAndWait(postmaster.get(), "QUIT", 10)) {
      throw new IllegalStateException("the embedded postgresql left running on " + pgData + " (pid " + pid
          + ") does not stop; stop it by hand (kill " + pid + ") and start again");
    }
  }

  /** The live postgres process named by the first line of {@code postmaster.pid}, if any. */
  static Optional<ProcessHandle> running(Path pgData) throws IOException {
    Path pidFile = pgData.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.isEmpty() || !lines.get(0).strip().matches("\\d{1,10}")) {
      return Optional.empty();
    }
    return ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
        .filter(ProcessHandle::isAlive)
        .filter(process -> process.info().command().map(command -> command.endsWith("/postgres")).orElse(false));
  }

  private static boolean ownedByLiveNode(Path pgData) throws IOException {
    try (FileChannel channel = FileChannel.open(pgData.resolve(ZONKY_LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock lock = channel.tryLock()) {
      return lock == null;
    } catch (OverlappingFileLockException e) {
      return true;
    }
  }

  /**
   * Fast shutdown (SIGINT) first, immediate shutdown (SIGQUIT) if that does not end it. Without a
   * {@code kill} program (slim container images) Java's own signals stand in: SIGTERM, then SIGKILL.
   */
  private static boolean signalAndWait(ProcessHandle process, String signal, int seconds) throws IOException {
    try {
      send(process, signal);
      process.onExit().get(seconds, TimeUnit.SECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping postgresql " + process.pid(), e);
    } catch (ExecutionException e) {
      throw new IOException("cannot wait for postgresql " + process.pid() + ": " + e.getMessage(), e);
    }
  }

  private static void send(ProcessHandle process, String signal) throws InterruptedException {
    try {
      new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start().waitFor();
    } catch (IOException noKillProgram) {
      if ("INT".equals(signal)) {
        process.destroy();
      } else {
        process.destroyForcibly();
      }
    }
  }
}
