package dev.gantry.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The client authentication rules of the embedded PostgreSQL ({@code pg_hba.conf}): SCRAM for every
 * connection, unix socket and loopback alike; nothing else is accepted. Earlier versions of Gantry
 * initialised it with {@code trust}, which {@link #trusts} recognises so the node can upgrade it.
 */
final class PgHbaFile {

  static final String CONTENT = """
      # Written by Gantry on every start: every connection authenticates with the password in
      # <data-dir>/postgres_password (SCRAM-SHA-256). Changes here are overwritten.
      # TYPE  DATABASE  USER  ADDRESS        METHOD
      local   all       all                  scram-sha-256
      host    all       all   127.0.0.1/32   scram-sha-256
      host    all       all   ::1/128        scram-sha-256
      """;

  private PgHbaFile() {
  }

  /** Whether any rule lets a client in without a password ({@code trust}, as zonky's initdb writes it). */
  static boolean trusts(Path pgData) throws IOException {
    Path file = pgData.resolve("pg_hba.conf");
    return Files.exists(file) && Files.readAllLines(file).stream()
        .map(line -> line.replaceFirst("#.*", "").strip())
        .filter(line -> !line.isEmpty())
        .anyMatch(line -> line.matches(".*\\strust(\\s.*)?"));
  }

  /** Writes the rules when the file holds anything else; answers whether it changed (the server must reload). */
  static boolean ensure(Path pgData) throws IOException {
    Path file = pgData.resolve("pg_hba.conf");
    if (Files.exists(file) && Files.readString(file).equals(CONTENT)) {
      return false;
    }
    Files.writeString(file, CONTENT);
    return true;
  }
}
