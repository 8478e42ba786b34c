package dev.gantry.store;

import dev.gantry.common.PortClaim;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The port of a node's embedded PostgreSQL, claimed on this host ({@link PortClaim}) until the database
 * stops, so that nodes on one machine never choose the same one. With {@code --embedded-db-port} it is
 * that port, refused when taken. Without it, the port kept in {@code <data-dir>/embedded_db_port} (a
 * restart keeps its port: other local nodes were told it), refused in the same way when taken; a new
 * data directory takes the first free port from {@value #FIRST} up and keeps it there.
 */
final class EmbeddedDatabasePort {

  static final int FIRST = 54320;
  static final int LAST = FIRST + 99;
  static final String FILE_NAME = "embedded_db_port";
  private static final String HOST = "127.0.0.1";

  private EmbeddedDatabasePort() {
  }

  /** Claims the given port, the kept one, or the first free one (then kept); throws when that is taken. */
  static PortClaim claim(Path dataDir, Integer given) throws IOException {
    if (given != null) {
      return PortClaim.tryClaim(HOST, given).orElseThrow(() -> taken(given, "give this node its own --embedded-db-port"));
    }
    Path file = dataDir.resolve(FILE_NAME);
    Optional<Integer> kept = kept(file);
    if (kept.isPresent()) {
      return PortClaim.tryClaim(HOST, kept.get()).orElseThrow(() -> taken(kept.get(), "this data directory keeps it in "
          + file + "; stop what uses it, or give this node another --embedded-db-port (other local nodes sharing "
          + "this database then need the new port in their --db-url)"));
    }
    for (int port = FIRST; port <= LAST; port++) {
      Optional<PortClaim> claim = PortClaim.tryClaim(HOST, port);
      if (claim.isPresent()) {
        Files.writeString(file, port + System.lineSeparator(), StandardCharsets.US_ASCII);
        return claim.get();
      }
    }
    throw new IllegalStateException("cannot start the embedded postgresql: no free port between " + FIRST + " and "
        + LAST + " on " + HOST + "; give this node a free --embedded-db-port, or share another node's database with "
        + "--db-url and --db-password-file");
  }

  private static Optional<Integer> kept(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    if (!text.matches("\\d{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
      throw new IllegalStateException(file + " should hold the embedded postgresql's port, but holds '" + text
          + "'; delete it to choose a free port again, or give --embedded-db-port");
    }
    return Optional.of(Integer.parseInt(text));
  }

  private static IllegalStateException taken(int port, String advice) {
    return new IllegalStateException("cannot start the embedded postgresql: " + HOST + ":" + port + " is already in use "
        + "(another node's embedded database, or another program); " + advice + ", or share the other node's "
        + "database with --db-url and --db-password-file");
  }
}
