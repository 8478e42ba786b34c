package dev.gantry.engine;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers the engines this node started ({@code <data-dir>/engines/<instance>.pid}: pid and start
 * time), so that after a crash of the node itself the next start kills what the last one left behind
 * — and only that: a recycled pid with another start time is left alone.
 */
public final class PidFiles {

  private static final Logger LOG = LoggerFactory.getLogger(PidFiles.class);

  private final Path dir;

  public PidFiles(Path dataDir) {
    this.dir = dataDir.resolve("engines");
  }

  public void record(String instanceId, ProcessHandle process) throws IOException {
    Files.createDirectories(dir);
    String start = process.info().startInstant().map(Instant::toString).orElse("");
    Files.writeString(dir.resolve(instanceId + ".pid"), process.pid() + " " + start + "\n");
  }

  public void forget(String instanceId) {
    try {
      Files.deleteIfExists(dir.resolve(instanceId + ".pid"));
    } catch (IOException e) {
      LOG.warn("cannot delete pid file of {}: {}", instanceId, e.getMessage());
    }
  }

  /** Kills engines recorded by an earlier run of this node; answers how many were still running. */
  public int killOrphans() throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int killed = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.pid")) {
      for (Path file : files) {
        String[] parts = Files.readString(file).strip().split(" ", 2);
        Optional<ProcessHandle> handle = ProcessHandle.of(Long.parseLong(parts[0]));
        String recordedStart = parts.length > 1 ? parts[1] : "";
        if (handle.isPresent() && handle.get().isAlive() && recordedStart.equals(
            handle.get().info().startInstant().map(Instant::toString).orElse(""))) {
          handle.get().descendants().forEach(ProcessHandle::destroyForcibly);
          handle.get().destroyForcibly();
          killed++;
          LOG.info("killed engine left behind by the previous run [pid: {}] [file: {}]", parts[0], file.getFileName());
        }
        Files.delete(file);
      }
    }
    return killed;
  }
}
