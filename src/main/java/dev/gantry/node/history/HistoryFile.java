package dev.gantry.node.history;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <data-dir>/metrics-history}: the history's rings, gzip-compressed (its checksum catches a torn
 * file), written to a temporary file and moved into place so a crash mid-write leaves the previous one.
 * Blocking: call from a worker.
 */
public final class HistoryFile {

  private static final Logger LOG = LoggerFactory.getLogger(HistoryFile.class);
  private static final long MAGIC = 0x47414e5452594d48L; // "GANTRYMH"

  private final Path file;

  public HistoryFile(Path file) {
    this.file = file;
  }

  /** The history kept in the file; empty when there is none, or (with a warning) when it cannot be read. */
  public MetricsHistory load() {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(Files.newInputStream(file))))) {
      if (in.readLong() != MAGIC) {
        throw new IOException("not a metrics history file");
      }
      MetricsHistory history = MetricsHistory.read(in);
      if (in.read() != -1) {
        throw new IOException("trailing bytes");
      }
      return history;
    } catch (NoSuchFileException e) {
      return new MetricsHistory();
    } catch (IOException | RuntimeException e) {
      LOG.warn("metrics history unreadable, starting empty [file: {}] [error: {}]", file, e.toString());
      return new MetricsHistory();
    }
  }

  public void save(MetricsHistory history) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(temp))))) {
      out.writeLong(MAGIC);
      history.write(out);
    }
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
